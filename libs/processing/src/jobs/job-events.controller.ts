import { Controller, Get, Headers, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, AuthUser, CurrentUser } from '@atelier/core';
import { JobStreamService } from './job-stream.service';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Controller('jobs')
export class JobEventsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly streams: JobStreamService,
  ) {}

  @Get(':id/events')
  @Authenticated()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-Sent Events: queued, started, progress, preview, retrying, then completed | failed | cancelled (the stream ends)',
  })
  @ApiNotFoundResponse({ description: 'job_not_found' })
  async events(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Ownership is checked before the stream starts, so a stranger gets a normal 404 problem.
    const job = await this.jobs.getOwned(user, id);
    const headers = reply.getHeaders();
    reply.hijack();
    const after = lastEventId && /^\d+$/.test(lastEventId) ? Number(lastEventId) : undefined;
    await this.streams.stream(job, reply.raw, { lastEventId: after, headers });
  }
}
