import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRow } from '@atelier/core';
import { QuotaService } from '@atelier/users';
import type { JobEventType, JobStatus } from '../processing.types';
import { JobStatsCounter } from '../stats/job-stats-counter';
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
 * the winner writes the event, counts the job in the statistics and refunds the quota (once:
 * `quota_refunded` flips in the same UPDATE).
 */
@Injectable()
export class JobStateService {
  private readonly logger = new Logger(JobStateService.name);

  constructor(
    private readonly db: DataSource,
    private readonly events: JobEventsService,
    private readonly quota: QuotaService,
    private readonly stats: JobStatsCounter,
  ) {}

  async fail(jobId: string, from: readonly JobStatus[], failure: FailureInfo): Promise<Job | undefined> {
    const job = await this.transition(jobId, from, {
      status: 'failed',
      errorCode: failure.code,
      errorMessage: failure.message,
      ...(failure.providerRequestId ? { providerRequestId: failure.providerRequestId } : {}),
    });
    if (job) await this.finish(job, 'failed', { code: failure.code, message: failure.message });
    return job;
  }

  async cancel(jobId: string): Promise<Job | undefined> {
    const job = await this.transition(jobId, ['queued', 'running'], { status: 'cancelled' });
    if (job) await this.finish(job, 'cancelled', {});
    return job;
  }

  async succeed(
    jobId: string,
    result: { imageIds: string[]; usage?: Record<string, unknown>; providerRequestId?: string },
  ): Promise<Job | undefined> {
    const job = await this.transition(jobId, ['running'], {
      status: 'succeeded',
      progress: 100,
      resultImageIds: result.imageIds,
      usage: result.usage ?? null,
      providerRequestId: result.providerRequestId ?? null,
      errorCode: null,
      errorMessage: null,
    });
    if (!job) return undefined;
    await this.stats.count(job);
    await this.events.record(job, 'completed', { imageIds: result.imageIds });
    return job;
  }

  private async transition(
    jobId: string,
    from: readonly JobStatus[],
    changes: Partial<Job>,
  ): Promise<Job | undefined> {
    const final = changes.status !== 'succeeded';
    const result = await this.db
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
      .returning('*')
      .execute();
    return returnedRow(this.db.manager, Job, result);
  }

  private async finish(job: Job, type: JobEventType, data: Record<string, unknown>): Promise<void> {
    await this.stats.count(job);
    await this.events.record(job, type, data);
    if (!job.quotaRefunded) return;
    try {
      await this.quota.refund(job.ownerId, job.quotaKind, job.quotaUnits, job.quotaDay);
    } catch (err) {
      this.logger.error({ jobId: job.id, err: (err as Error).message }, 'Quota refund failed');
    }
  }
}
