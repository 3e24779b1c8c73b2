import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly, AuthUser, CurrentUser } from '@atelier/core';
import {
  AdminUserDetailDto,
  AdminUserDto,
  AdminUserPage,
  ListUsersQuery,
  UpdateUserByAdminDto,
} from '../dto/admin-user.dto';
import { AdminUsersService } from './admin-users.service';

@ApiTags('admin')
@Controller('admin/users')
@AdminOnly()
@ApiForbiddenResponse({ description: 'admin_only: the caller is not an administrator' })
export class AdminUsersController {
  constructor(private readonly admin: AdminUsersService) {}

  @Get()
  @ApiOkResponse({ type: AdminUserPage })
  async list(@Query() query: ListUsersQuery): Promise<AdminUserPage> {
    const page = await this.admin.list(query);
    return { items: page.items.map(AdminUserDto.from), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminUserDetailDto })
  @ApiNotFoundResponse({ description: 'user_not_found' })
  async detail(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserDetailDto> {
    const { user, quota, counts } = await this.admin.detail(id);
    return { ...AdminUserDto.from(user), usage: { quota, counts } };
  }

  @Patch(':id')
  @ApiOkResponse({ type: AdminUserDto, description: 'A role change ends the user’s sessions' })
  @ApiNotFoundResponse({ description: 'user_not_found or plan_not_found' })
  @ApiConflictResponse({ description: 'admin_self_change: an administrator’s own role' })
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserByAdminDto,
  ): Promise<AdminUserDto> {
    if (body.planId) await this.admin.changePlan(actor, id, body.planId);
    if (body.role) await this.admin.changeRole(actor, id, body.role);
    return AdminUserDto.from((await this.admin.detail(id)).user);
  }

  @Post(':id/deactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AdminUserDto, description: 'Sign-in refused (account_deactivated), sessions ended' })
  @ApiConflictResponse({ description: 'admin_self_change' })
  async deactivate(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AdminUserDto> {
    return AdminUserDto.from(await this.admin.deactivate(actor, id));
  }

  @Post(':id/reactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: AdminUserDto })
  async reactivate(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AdminUserDto> {
    return AdminUserDto.from(await this.admin.reactivate(actor, id));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Erased as DELETE /me does; sessions revoked' })
  @ApiConflictResponse({ description: 'admin_self_change' })
  async remove(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.admin.delete(actor, id);
  }
}
