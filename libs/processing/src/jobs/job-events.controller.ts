import { Controller, Get, Headers, Param, ParseUUIDPipe, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, CurrentUser } from '@atelier/core';
import { EventStreamAuthGuard } from './event-stream-auth.guard';
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
  @UseGuards(EventStreamAuthGuard)
  @ApiBearerAuth()
  @ApiQuery({
    name: 'access_token',
    required: false,
    description: 'The access token, for clients that cannot send an Authorization header (EventSource)',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    schema: {
      type: 'string',
      description: 'text/event-stream frames: `id`, `event`, `data` (a JSON job event)',
    },
    description:
      'Server-Sent Events (`id` = event seq, `event` = type, `data` = the JSON event): queued, started, progress, ' +
      'preview, retrying, then completed | failed | cancelled, after which the stream ends. A finished job replays its ' +
      'events and ends; reconnecting with `Last-Event-ID` resumes after that event.',
  })
  @ApiNoContentResponse({
    description:
      'The job is finished and the client has seen its final event (`Last-Event-ID`), or its events were pruned: ' +
      'nothing more will come, so an EventSource stops reconnecting.',
  })
  @ApiUnauthorizedResponse({ description: 'No valid token' })
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
