import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ImageStats {
  total: number;
  byStatus: Record<string, number>;
  bySource: Record<string, number>;
  byProvider: Record<string, number>;
  /** Images created per UTC day over the last 30 days (days without images omitted). */
  perDay: { day: string; count: number }[];
  public: number;
  favoritesReceived: number;
  favoritesGiven: number;
  downloads: number;
  storageBytes: number;
}

/** Counters for GET /images/stats, all from the owner index (no per-image work). */
@Injectable()
export class ImageStatsService {
  constructor(private readonly db: DataSource) {}

  async forOwner(ownerId: string): Promise<ImageStats> {
    const live = `FROM images WHERE owner_id = $1 AND deleted_at IS NULL`;
    const [totals, byStatus, bySource, byProvider, perDay, given] = await Promise.all([
      this.db.query(
        `SELECT count(*) AS total, count(*) FILTER (WHERE is_public) AS public,
                coalesce(sum(favorites_count), 0) AS favorites, coalesce(sum(downloads_count), 0) AS downloads,
                coalesce(sum(bytes), 0) AS bytes ${live}`,
        [ownerId],
      ) as Promise<Record<string, string>[]>,
      this.grouped(`SELECT status AS key, count(*) AS count ${live} GROUP BY status`, ownerId),
      this.grouped(`SELECT source AS key, count(*) AS count ${live} GROUP BY source`, ownerId),
      this.grouped(
        `SELECT coalesce(provider, 'none') AS key, count(*) AS count ${live} GROUP BY coalesce(provider, 'none')`,
        ownerId,
      ),
      this.db.query(
        `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS count
         ${live} AND created_at >= now() - interval '30 days' GROUP BY 1 ORDER BY 1`,
        [ownerId],
      ) as Promise<{ day: string; count: string }[]>,
      this.db.query(`SELECT count(*) AS count FROM image_favorites WHERE user_id = $1`, [ownerId]) as Promise<
        { count: string }[]
      >,
    ]);
    const [t] = totals;
    return {
      total: Number(t.total),
      byStatus,
      bySource,
      byProvider,
      perDay: perDay.map((d) => ({ day: d.day, count: Number(d.count) })),
      public: Number(t.public),
      favoritesReceived: Number(t.favorites),
      favoritesGiven: Number(given[0].count),
      downloads: Number(t.downloads),
      storageBytes: Number(t.bytes),
    };
  }

  private async grouped(sql: string, ownerId: string): Promise<Record<string, number>> {
    const rows: { key: string; count: string }[] = await this.db.query(sql, [ownerId]);
    return Object.fromEntries(rows.map((r) => [r.key, Number(r.count)]));
  }
}
