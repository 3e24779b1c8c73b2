import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import type { Env } from '@atelier/core';
import { Job } from '../jobs/job.entity';
import { JobEventsService } from '../jobs/job-events.service';
import { JobLease } from '../jobs/job-lease';
import { JobQueueService } from '../jobs/job-queue.service';
import { JobStateService } from '../jobs/job-state.service';
import { ProcessingErrorCode } from '../processing.errors';

/** A queued row younger than this may still be on its way into Bull. */
export const QUEUED_GRACE_MS = 30_000;
const BATCH = 200;

/**
 * Keeps rows and Bull in agreement: re-enqueues `queued` rows Bull does not know (Redis was away
 * at submit, or a deferral's re-enqueue was lost), and re-queues `running` rows whose heartbeat
 * lease ran out (the worker died, even between its claim and its first event), failing them once
 * their attempts are spent. The lease sweep runs every heartbeat, so a lost job is running again
 * within JOB_LEASE_SECONDS + JOB_HEARTBEAT_SECONDS. Safe to run in several workers: enqueue is
 * idempotent by job id and every change is a conditional UPDATE.
 */
@Injectable()
export class JobReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobReconciler.name);
  private readonly maxAttempts: number;

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly queue: JobQueueService,
    private readonly state: JobStateService,
    private readonly events: JobEventsService,
    private readonly lease: JobLease,
    private readonly schedules: SchedulerRegistry,
    config: ConfigService<Env, true>,
  ) {
    this.maxAttempts = config.get('JOB_ATTEMPTS', { infer: true });
  }

  onApplicationBootstrap(): void {
    // An interval from config (a @Cron's period is fixed at compile time); the schedule module
    // clears it on shutdown.
    const sweep = setInterval(() => void this.sweepExpired(), this.lease.heartbeatMs);
    this.schedules.addInterval('jobs.lease-sweep', sweep);
  }

  @Cron(CronExpression.EVERY_MINUTE, { name: 'jobs.reconcile' })
  async reconcile(now = new Date()): Promise<{ requeued: number; expired: number }> {
    try {
      return { requeued: await this.requeueLost(now), expired: await this.recoverExpired(now) };
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Reconcile pass failed; next minute tries again');
      return { requeued: 0, expired: 0 };
    }
  }

  private async sweepExpired(): Promise<void> {
    try {
      await this.recoverExpired(new Date());
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Lease sweep failed; the next heartbeat tries again');
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

  /** Running rows past their lease: re-queued while attempts remain, failed after. */
  private async recoverExpired(now: Date): Promise<number> {
    const expired = await this.jobs.find({
      where: { status: 'running', leaseExpiresAt: LessThan(now) },
      take: BATCH,
    });
    let recovered = 0;
    for (const job of expired) {
      const done =
        job.attempts >= this.maxAttempts
          ? await this.state.fail(job.id, ['running'], {
              code: ProcessingErrorCode.LeaseExpired,
              message: 'The worker running this job stopped answering.',
            })
          : await this.requeueExpired(job);
      if (done) recovered += 1;
    }
    if (recovered) this.logger.warn({ recovered }, 'Recovered running jobs past their lease');
    return recovered;
  }

  private async requeueExpired(job: Job): Promise<boolean> {
    const requeued = await this.jobs
      .createQueryBuilder()
      .update()
      .set({ status: 'queued', leaseExpiresAt: null })
      .where("id = :id AND status = 'running' AND lease_expires_at < now()", { id: job.id })
      .execute();
    if (!requeued.affected) return false;
    await this.events.record(job, 'retrying', {
      attempt: job.attempts,
      code: ProcessingErrorCode.LeaseExpired,
      message: 'The worker running this job stopped answering; it runs again.',
      retryAfterMs: null,
    });
    const bullJob = await this.queue.getBullJob(job.id);
    // A Bull job still active is a stalled one: Bull hands it to a live worker when its lock
    // expires. One that ended (or vanished with Redis data) must make way for a fresh entry.
    if (bullJob && (await bullJob.isActive())) return true;
    await bullJob?.remove();
    await this.queue.enqueue(job);
    return true;
  }
}
