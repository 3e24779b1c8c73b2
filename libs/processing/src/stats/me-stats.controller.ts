import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, AuthUser, CurrentUser } from '@atelier/core';
import { JobStatsService } from './job-stats.service';
import { MeStatsResponse } from './me-stats.response';

@ApiTags('me')
@Controller('me')
export class MeStatsController {
  constructor(private readonly stats: JobStatsService) {}

  @Get('stats')
  @Authenticated()
  @ApiOperation({
    summary: 'Your finished jobs by status, provider, type and day (live), and your image counts',
  })
  @ApiOkResponse({ type: MeStatsResponse })
  get(@CurrentUser() user: AuthUser): Promise<MeStatsResponse> {
    return this.stats.forOwner(user.id);
  }
}
