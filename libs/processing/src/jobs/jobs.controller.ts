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
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, AuthUser, CurrentUser, ProblemException, Created } from '@atelier/core';
import { VerifiedUser } from '@atelier/users';
import { CreateJobDto } from '../dto/create-job.dto';
import { JobDetailResponse, JobPage, JobResponse } from '../dto/job.response';
import { ListJobsQuery } from '../dto/list-jobs.query';
import { JobDetailsService } from './job-details.service';
import { JobsService } from './jobs.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly details: JobDetailsService,
  ) {}

  @Post()
  @VerifiedUser()
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: 'Same key, same user → the same job',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  })
  @Created('jobs/:id', { status: 202, type: JobResponse })
  @ApiOkResponse({
    type: JobResponse,
    description: 'The job an earlier request with this Idempotency-Key made',
  })
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
  @VerifiedUser()
  @Created('jobs/:id', { status: 202, type: JobResponse })
  async retry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<JobResponse> {
    return JobResponse.from(await this.jobs.retry(user, id));
  }
}
