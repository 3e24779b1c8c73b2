import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Job } from '../jobs/job.entity';

/**
 * Counts a job in job_stats_daily the moment it finishes, so GET /me/stats is live (SplashMy
 * refreshed every 30 minutes; a daily pass alone left counts a day stale). Called once per job by
 * the winner of its final transition, as one atomic upsert-increment. The daily JobStatsRefresher
 * still recomputes recent days from `jobs`, which repairs a count lost to a crash in between.
 */
@Injectable()
export class JobStatsCounter {
  private readonly logger = new Logger(JobStatsCounter.name);

  constructor(private readonly db: DataSource) {}

  async count(job: Job): Promise<void> {
    const outcome = (status: string) => (job.status === status ? 1 : 0);
    try {
      await this.db.query(
        `INSERT INTO job_stats_daily AS s
                (owner_id, day, provider, type, succeeded, failed, cancelled, images, refreshed_at)
         VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (owner_id, day, provider, type) DO UPDATE
            SET succeeded = s.succeeded + EXCLUDED.succeeded, failed = s.failed + EXCLUDED.failed,
                cancelled = s.cancelled + EXCLUDED.cancelled, images = s.images + EXCLUDED.images,
                refreshed_at = EXCLUDED.refreshed_at`,
        [
          job.ownerId,
          job.finishedAt ?? new Date(),
          job.provider,
          job.type,
          outcome('succeeded'),
          outcome('failed'),
          outcome('cancelled'),
          job.resultImageIds?.length ?? 0,
        ],
      );
    } catch (err) {
      // Statistics must never fail a job; the daily refresh recomputes the day.
      this.logger.warn({ jobId: job.id, err: (err as Error).message }, 'Job not counted in stats');
    }
  }
}
