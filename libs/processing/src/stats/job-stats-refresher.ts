import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';

/**
 * The daily pass recomputes yesterday and today, repairing what the live counter
 * (countFinishedJobsSql) may have missed.
 */
const DAILY_DAYS = 2;

/**
 * Refreshes job_stats_daily from `jobs` in one INSERT … SELECT … ON CONFLICT DO UPDATE: each
 * (owner, day, provider, type) group of the window is recomputed whole, so running it twice, or in
 * two workers at once, gives the same rows. Finished jobs never change day or outcome, so rows
 * outside the window stay right. A pass that finds jobs older than the oldest stats day (a new
 * table, or one that jobs finished before live counting existed) rebuilds all history.
 */
@Injectable()
export class JobStatsRefresher {
  private readonly logger = new Logger(JobStatsRefresher.name);

  constructor(private readonly db: DataSource) {}

  @Cron('15 0 * * *', { name: 'jobs.stats', timeZone: 'UTC' })
  async refreshDaily(): Promise<number> {
    try {
      const [{ missing }] = (await this.db.query(
        `SELECT (SELECT (min(finished_at) AT TIME ZONE 'UTC')::date FROM jobs)
                  < coalesce((SELECT min(day) FROM job_stats_daily), 'infinity') AS missing`,
      )) as { missing: boolean | null }[];
      return await this.refresh(missing ? undefined : DAILY_DAYS);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Job stats refresh failed; tomorrow tries again');
      return 0;
    }
  }

  /**
   * Recomputes the last `days` UTC days (today counts as one), or everything when `days` is
   * undefined. Returns how many stats rows were written.
   */
  async refresh(days?: number): Promise<number> {
    const window =
      days === undefined
        ? ''
        : `AND finished_at >= ((now() AT TIME ZONE 'UTC')::date - $1::int) AT TIME ZONE 'UTC'`;
    const [{ written }] = (await this.db.query(
      `WITH written AS (
       INSERT INTO job_stats_daily AS s (owner_id, day, provider, type, succeeded, failed, cancelled, images, refreshed_at)
       SELECT owner_id, (finished_at AT TIME ZONE 'UTC')::date, provider, type,
              count(*) FILTER (WHERE status = 'succeeded'),
              count(*) FILTER (WHERE status = 'failed'),
              count(*) FILTER (WHERE status = 'cancelled'),
              coalesce(sum(cardinality(result_image_ids)), 0),
              now()
         FROM jobs
        WHERE finished_at IS NOT NULL AND status IN ('succeeded', 'failed', 'cancelled') ${window}
        GROUP BY 1, 2, 3, 4
       ON CONFLICT (owner_id, day, provider, type) DO UPDATE
          SET succeeded = EXCLUDED.succeeded, failed = EXCLUDED.failed, cancelled = EXCLUDED.cancelled,
              images = EXCLUDED.images, refreshed_at = EXCLUDED.refreshed_at
       RETURNING 1)
       SELECT count(*)::int AS written FROM written`,
      days === undefined ? [] : [Math.max(0, Math.floor(days) - 1)],
    )) as { written: number }[];
    this.logger.log({ days: days ?? 'all', written }, 'Job stats refreshed');
    return written;
  }
}
