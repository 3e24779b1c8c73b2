import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { Job } from '../jobs/job.entity';
import { JobQueueService } from '../jobs/job-queue.service';
import { JobStateService } from '../jobs/job-state.service';
import { ProcessingErrorCode } from '../processing.errors';

/** A queued row younger than this may still be on its way into Bull. */
export const QUEUED_GRACE_MS = 30_000;
const BATCH = 200;

/**
 * Keeps rows and Bull in agreement: re-enqueues `queued` rows Bull does not know (Redis was away
 * at submit, or a deferral's re-enqueue was lost), and fails `running` rows past their lease (the
 * worker died and Bull's stalled-job recovery did not pick the job up again). Safe to run in
 * several workers: enqueue is idempotent by job id and the failure is a conditional UPDATE.
 */
@Injectable()
export class JobReconciler {
  private readonly logger = new Logger(JobReconciler.name);

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly queue: JobQueueService,
    private readonly state: JobStateService,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'jobs.reconcile' })
  async reconcile(now = new Date()): Promise<{ requeued: number; expired: number }> {
    try {
      return { requeued: await this.requeueLost(now), expired: await this.failExpired(now) };
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Reconcile pass failed; next minute tries again');
      return { requeued: 0, expired: 0 };
    }
  }

  private async requeueLost(now: Date): Promise<number> {
    const stale = await this.jobs.find({
      where: { status: 'queued', queuedAt: LessThan(new Date(now.getTime() - QUEUED_GRACE_MS)) },
      order: { queuedAt: 'ASC' },
      take: BATCH,
    });
    let requeued = 0;
    for (const job of stale) {
      const bullJob = await this.queue.getBullJob(job.id);
      if (!bullJob) {
        if (await this.queue.enqueue(job)) requeued += 1;
      } else if (await bullJob.isFailed()) {
        // Bull gave up on an error outside the provider (say the database was away on every
        // attempt) before the row could be finalised: finalise it now.
        await this.state.fail(job.id, ['queued'], {
          code: ProcessingErrorCode.InternalError,
          message: `The job could not be run: ${bullJob.failedReason ?? 'unknown error'}`,
        });
      }
    }
    if (requeued) this.logger.log({ requeued }, 'Re-enqueued queued jobs Bull did not know');
    return requeued;
  }

  private async failExpired(now: Date): Promise<number> {
    const expired = await this.jobs.find({
      where: { status: 'running', leaseExpiresAt: LessThan(now) },
      take: BATCH,
    });
    let failed = 0;
    for (const job of expired) {
      const done = await this.state.fail(job.id, ['running'], {
        code: ProcessingErrorCode.LeaseExpired,
        message: 'The worker running this job stopped answering.',
      });
      if (done) failed += 1;
    }
    if (failed) this.logger.warn({ failed }, 'Failed jobs past their lease');
    return failed;
  }
}
