import { Controller, Get, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '@atelier/core';
import { AuditEntryDto, AuditPage, ListAuditLogQuery } from '../dto/admin-user.dto';
import { AdminAuditService } from './admin-audit.service';

@ApiTags('admin')
@Controller('admin/audit-log')
export class AdminAuditController {
  constructor(private readonly audit: AdminAuditService) {}

  @Get()
  @AdminOnly()
  @ApiForbiddenResponse({ description: 'admin_only' })
  @ApiOkResponse({ type: AuditPage, description: 'Administrator actions, newest first' })
  async list(@Query() query: ListAuditLogQuery): Promise<AuditPage> {
    const page = await this.audit.list(query);
    return { items: page.items.map(AuditEntryDto.from), nextCursor: page.nextCursor };
  }
}
