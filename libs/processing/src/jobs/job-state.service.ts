import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hydrateRow } from '@atelier/core';
import { QuotaService } from '@atelier/users';
import type { JobEventType, JobStatus } from '../processing.types';
import { countFinishedJobsSql } from '../stats/job-stats-counter';
import { Job } from './job.entity';
import { JobEventsService } from './job-events.service';

export interface FailureInfo {
  code: string;
  message: string;
  providerRequestId?: string;
}

/**
 * The final transitions of a job, shared by the worker, the cancel route and the reconciler.
 * Each is one conditional UPDATE, so whoever gets there first wins and the others do nothing;
 * the same statement writes the winner's event and counts the job in the statistics, and the
 * winner then refunds the quota (once: `quota_refunded` flips in the same UPDATE).
 */
@Injectable()
export class JobStateService {
  private readonly logger = new Logger(JobStateService.name);

  constructor(
    private readonly db: DataSource,
    private readonly events: JobEventsService,
    private readonly quota: QuotaService,
  ) {}

  async fail(jobId: string, from: readonly JobStatus[], failure: FailureInfo): Promise<Job | undefined> {
    const job = await this.transition(
      jobId,
      from,
      {
        status: 'failed',
        errorCode: failure.code,
        errorMessage: failure.message,
        ...(failure.providerRequestId ? { providerRequestId: failure.providerRequestId } : {}),
      },
      'failed',
      { code: failure.code, message: failure.message },
    );
    if (job) await this.refund(job);
    return job;
  }

  async cancel(jobId: string): Promise<Job | undefined> {
    const job = await this.transition(jobId, ['queued', 'running'], { status: 'cancelled' }, 'cancelled', {});
    if (job) await this.refund(job);
    return job;
  }

  succeed(
    jobId: string,
    result: { imageIds: string[]; usage?: Record<string, unknown>; providerRequestId?: string },
  ): Promise<Job | undefined> {
    return this.transition(
      jobId,
      ['running'],
      {
        status: 'succeeded',
        progress: 100,
        resultImageIds: result.imageIds,
        usage: result.usage ?? null,
        providerRequestId: result.providerRequestId ?? null,
        errorCode: null,
        errorMessage: null,
      },
      'completed',
      { imageIds: result.imageIds },
    );
  }

  /** One statement: the conditional UPDATE, the count in job_stats_daily and the event. */
  private async transition(
    jobId: string,
    from: readonly JobStatus[],
    changes: Partial<Job>,
    type: JobEventType,
    data: Record<string, unknown>,
  ): Promise<Job | undefined> {
    const final = changes.status !== 'succeeded';
    const update = this.db
      .createQueryBuilder()
      .update(Job)
      .set({
        ...changes,
        finishedAt: () => 'now()',
        leaseExpiresAt: null,
        // Only work that produced nothing is refunded.
        ...(final ? { quotaRefunded: () => 'cardinality(result_image_ids) = 0' } : {}),
      })
      .where('id = :jobId AND status IN (:...from)', { jobId, from })
      .returning('*');
    const changed = await this.events.recordWithChange(
      this.db.manager,
      update.getQueryAndParameters(),
      type,
      data,
      [countFinishedJobsSql('changed')],
    );
    if (!changed) return undefined;
    const job = hydrateRow(this.db.manager, Job, changed.row);
    await this.events.announce(job, changed.event);
    return job;
  }

  private async refund(job: Job): Promise<void> {
    if (!job.quotaRefunded) return;
    try {
      await this.quota.refund(job.ownerId, job.quotaKind, job.quotaUnits, job.quotaDay);
    } catch (err) {
      this.logger.error({ jobId: job.id, err: (err as Error).message }, 'Quota refund failed');
    }
  }
}
