/**
 * Counts jobs in job_stats_daily the moment they finish, so GET /me/stats is live (SplashMy
 * refreshed every 30 minutes; a daily pass alone left counts a day stale). The SQL of one atomic
 * upsert-increment over `source`, the job rows a final transition just changed: JobStateService
 * runs it as a CTE of the transition's own statement, so each job is counted once, by the winner,
 * with no round trip of its own. The daily JobStatsRefresher still recomputes recent days from
 * `jobs`.
 */
export function countFinishedJobsSql(source: string): string {
  return `INSERT INTO job_stats_daily AS s
                 (owner_id, day, provider, type, succeeded, failed, cancelled, images, refreshed_at)
          SELECT owner_id, (finished_at AT TIME ZONE 'UTC')::date, provider, type,
                 (status = 'succeeded')::int, (status = 'failed')::int, (status = 'cancelled')::int,
                 cardinality(result_image_ids), now()
            FROM ${source}
          ON CONFLICT (owner_id, day, provider, type) DO UPDATE
             SET succeeded = s.succeeded + EXCLUDED.succeeded, failed = s.failed + EXCLUDED.failed,
                 cancelled = s.cancelled + EXCLUDED.cancelled, images = s.images + EXCLUDED.images,
                 refreshed_at = EXCLUDED.refreshed_at`;
}
