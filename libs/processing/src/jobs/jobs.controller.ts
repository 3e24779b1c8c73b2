import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, AuthUser, CurrentUser, ProblemException, Created } from '@atelier/core';
import { VerifiedUser } from '@atelier/users';
import { CreateJobDto } from '../dto/create-job.dto';
import { JobDetailResponse, JobPage, JobResponse } from '../dto/job.response';
import { ListJobsQuery } from '../dto/list-jobs.query';
import { JobCompletionWaiter } from './job-completion-waiter';
import { JobDetailsService } from './job-details.service';
import { JobsService } from './jobs.service';
import { MAX_WAIT_SECONDS, preferredWaitSeconds } from './prefer-wait';
import { JobWebhooks } from '../webhooks/job-webhooks.service';

class JobWebhookSecretResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Standard Webhooks secret' })
  secret: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly details: JobDetailsService,
    private readonly waiter: JobCompletionWaiter,
    private readonly webhooks: JobWebhooks,
  ) {}

  @Get('webhook-secret')
  @Authenticated()
  @ApiOkResponse({
    type: JobWebhookSecretResponse,
    description: 'Verifies the signatures of your job webhooks',
  })
  webhookSecret(@CurrentUser() user: AuthUser): JobWebhookSecretResponse {
    return { secret: this.webhooks.secretFor(user.id) };
  }

  @Post()
  @VerifiedUser()
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: 'Same key, same user → the same job',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description: `RFC 7240 \`wait=N\`: hold the answer up to N seconds (at most ${MAX_WAIT_SECONDS}; \`wait\` alone is the most) for the job to end; \`Preference-Applied\` echoes it`,
  })
  @Created('jobs/:id', { status: 202, type: JobResponse })
  @ApiCreatedResponse({
    type: JobDetailResponse,
    description: 'With Prefer: wait, the job ended in time: its final state and result images',
    headers: {
      Location: { description: '/api/v1/jobs/:id', schema: { type: 'string', format: 'uri-reference' } },
    },
  })
  @ApiOkResponse({
    type: JobResponse,
    description: 'The job an earlier request with this Idempotency-Key made',
  })
  async submit(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateJobDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponse | JobDetailResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ProblemException.invalidField('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
    }
    const { job, created } = await this.jobs.submit(user, dto, idempotencyKey);
    const waitSeconds = preferredWaitSeconds(prefer);
    if (waitSeconds === undefined) {
      reply.status(created ? 202 : 200);
      return JobResponse.from(job);
    }
    reply.header('preference-applied', `wait=${waitSeconds}`);
    const ended = await this.waiter.waitForEnd(job.id, waitSeconds, closeSignal(reply));
    reply.status(created ? (ended ? 201 : 202) : 200);
    return ended
      ? this.details.detail(user, job.id)
      : JobResponse.from(await this.jobs.getOwned(user, job.id));
  }

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: JobPage })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListJobsQuery): Promise<JobPage> {
    const page = await this.jobs.list(user, query);
    return { items: page.items.map(JobResponse.from), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: JobDetailResponse })
  @ApiNotFoundResponse({ description: 'job_not_found' })
  detail(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<JobDetailResponse> {
    return this.details.detail(user, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ type: JobResponse, description: 'Cancelled; 409 job_already_finished when it had ended' })
  async cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<JobResponse> {
    return JobResponse.from(await this.jobs.cancel(user, id));
  }

  @Post(':id/retry')
  @VerifiedUser()
  @Created('jobs/:id', { status: 202, type: JobResponse })
  async retry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<JobResponse> {
    return JobResponse.from(await this.jobs.retry(user, id));
  }
}

/** Aborts when the client goes away, so a held request stops waiting for nobody. */
function closeSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}
