import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImageStatsService } from '@atelier/images';
import type { JobDayStats, JobStatsResponse, MeStatsResponse } from './me-stats.response';

/** Days of per-day counts GET /me/stats returns (today included). */
export const STATS_DAYS = 30;

interface GroupRow {
  provider: string;
  type: string;
  succeeded: number;
  failed: number;
  cancelled: number;
  images: number;
  refreshed_at: Date | null;
}

/** GET /me/stats: job counts from job_stats_daily (through its owner-first key) and image counts. */
@Injectable()
export class JobStatsService {
  constructor(
    private readonly db: DataSource,
    private readonly imageStats: ImageStatsService,
  ) {}

  async forOwner(ownerId: string): Promise<MeStatsResponse> {
    const [jobs, images] = await Promise.all([this.jobsFor(ownerId), this.imageStats.forOwner(ownerId)]);
    return { jobs, images: { ...images } };
  }

  async jobsFor(ownerId: string): Promise<JobStatsResponse> {
    const [groups, days] = await Promise.all([
      this.db.query(
        `SELECT provider, type, sum(succeeded)::int AS succeeded, sum(failed)::int AS failed,
                sum(cancelled)::int AS cancelled, sum(images)::int AS images, max(refreshed_at) AS refreshed_at
           FROM job_stats_daily WHERE owner_id = $1 GROUP BY provider, type`,
        [ownerId],
      ) as Promise<GroupRow[]>,
      this.db.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(succeeded)::int AS succeeded, sum(failed)::int AS failed,
                sum(cancelled)::int AS cancelled, sum(images)::int AS images
           FROM job_stats_daily
          WHERE owner_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
          GROUP BY day ORDER BY day`,
        [ownerId, STATS_DAYS],
      ) as Promise<JobDayStats[]>,
    ]);
    const stats: JobStatsResponse = {
      total: 0,
      byStatus: { succeeded: 0, failed: 0, cancelled: 0 },
      byProvider: {},
      byType: {},
      images: 0,
      perDay: days,
      refreshedAt: null,
    };
    let refreshed: Date | null = null;
    for (const row of groups) {
      const count = row.succeeded + row.failed + row.cancelled;
      stats.total += count;
      stats.byStatus.succeeded += row.succeeded;
      stats.byStatus.failed += row.failed;
      stats.byStatus.cancelled += row.cancelled;
      stats.byProvider[row.provider] = (stats.byProvider[row.provider] ?? 0) + count;
      stats.byType[row.type] = (stats.byType[row.type] ?? 0) + count;
      stats.images += row.images;
      if (row.refreshed_at && (!refreshed || row.refreshed_at > refreshed)) refreshed = row.refreshed_at;
    }
    stats.refreshedAt = refreshed?.toISOString() ?? null;
    return stats;
  }
}
