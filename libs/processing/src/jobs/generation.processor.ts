import { InjectQueue, OnQueueCompleted, Processor } from '@nestjs/bull';
import { Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job as BullJob, Queue } from 'bull';
import { Repository } from 'typeorm';
import { type Env, QueueName, registerBackoff } from '@atelier/core';
import { GenerationJobData, GenerationJobName } from '../processing.types';
import { generationBackoff } from './generation-backoff';
import { Job } from './job.entity';
import { GENERATION_BACKOFF, JobQueueService } from './job-queue.service';
import { JobRunner, RunOutcome } from './job-runner.service';

/**
 * Bull glue for the generation queue. Retries are Bull's (attempts + the `generation` backoff,
 * which honours the provider's Retry-After). A job deferred for plan concurrency is different: it
 * completes its Bull job and is enqueued again under the same id after a short delay, so waiting
 * for a free slot never spends one of the job's attempts (Bull v4 has no "move back to delayed
 * without failing" for a running job).
 */
@Processor(QueueName.Generation)
export class GenerationProcessor implements OnModuleInit {
  private readonly logger = new Logger(GenerationProcessor.name);
  private readonly concurrency: number;

  constructor(
    private readonly runner: JobRunner,
    private readonly jobQueue: JobQueueService,
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    @InjectQueue(QueueName.Generation) private readonly queue: Queue<GenerationJobData>,
    config: ConfigService<Env, true>,
  ) {
    this.concurrency = config.get('JOB_CONCURRENCY', { infer: true });
  }

  onModuleInit(): void {
    // Bull looks custom strategies up in the queue settings of the process that ran the job.
    registerBackoff(this.queue, GENERATION_BACKOFF, generationBackoff);
    // Registered here rather than with @Process, whose concurrency is fixed at compile time.
    // The promise settles only when the queue closes; failures are also emitted as 'error'.
    this.queue
      .process(GenerationJobName.Run, this.concurrency, (job) => this.run(job))
      .catch((err: Error) => this.logger.error({ err: err.message }, 'Generation queue stopped'));
  }

  async run(bullJob: BullJob<GenerationJobData>): Promise<RunOutcome> {
    const finalAttempt = bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
    return this.runner.run(bullJob.data.jobId, finalAttempt, bullJob.data.ownerId);
  }

  @OnQueueCompleted()
  async requeueDeferred(bullJob: BullJob<GenerationJobData>, outcome: RunOutcome): Promise<void> {
    if (outcome?.kind !== 'deferred') return;
    const job = await this.jobs.findOneBy({ id: bullJob.data.jobId });
    // If this fails the row stays queued and the reconciler enqueues it.
    if (job?.status === 'queued') await this.jobQueue.enqueue(job, outcome.delayMs);
    else if (job) this.logger.debug({ jobId: job.id, status: job.status }, 'Deferred job ended meanwhile');
  }
}
