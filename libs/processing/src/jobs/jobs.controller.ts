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
  ApiAcceptedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, AuthUser, CurrentUser, ProblemException } from '@atelier/core';
import { VerifiedUser } from '@atelier/users';
import { CreateJobDto } from '../dto/create-job.dto';
import { JobDetailResponse, JobPage, JobResponse } from '../dto/job.response';
import { ListJobsQuery } from '../dto/list-jobs.query';
import { JobDetailsService } from './job-details.service';
import { JobsService } from './jobs.service';
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
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key, same user → the same job' })
  @ApiAcceptedResponse({ type: JobResponse, description: 'Queued (200 when the Idempotency-Key matched)' })
  async submit(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateJobDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ProblemException.invalidField('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
    }
    const { job, created } = await this.jobs.submit(user, dto, idempotencyKey);
    reply.status(created ? 202 : 200);
    return JobResponse.from(job);
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
  @HttpCode(202)
  @VerifiedUser()
  @ApiAcceptedResponse({ type: JobResponse, description: 'A new job with the same inputs' })
  async retry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<JobResponse> {
    return JobResponse.from(await this.jobs.retry(user, id));
  }
}
