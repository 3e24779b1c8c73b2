import type { EntityManager } from 'typeorm';

/** A rated table: `ratings` holds one row per (user_id, `key`), `table` the aggregate columns. */
export interface RatedTable {
  /** Has `id`, `rating_avg` and `rating_count`. */
  table: string;
  /** Has `user_id`, `key`, `score`, `comment`, `updated_at`, unique on (user_id, `key`). */
  ratings: string;
  /** The ratings column referencing `table.id` (`image_id`). */
  key: string;
}

export interface RatingInput {
  userId: string;
  targetId: string;
  score: number;
  comment: string | null;
}

/**
 * Creates or replaces the user's rating and recounts the target's `rating_avg` / `rating_count`,
 * returning them as stored (the column's type decides the rounding). Run it in a transaction that
 * has locked the target row first: concurrent ratings then queue up, and each recount (a new
 * statement, hence a new snapshot under READ COMMITTED) sees every rating committed before it.
 */
export async function rateAndRecount(
  manager: EntityManager,
  rated: RatedTable,
  rating: RatingInput,
): Promise<{ ratingAvg: number; ratingCount: number }> {
  await manager.query(
    `INSERT INTO ${rated.ratings} (user_id, ${rated.key}, score, comment) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, ${rated.key}) DO UPDATE
       SET score = EXCLUDED.score, comment = EXCLUDED.comment, updated_at = now()`,
    [rating.userId, rating.targetId, rating.score, rating.comment],
  );
  const [[row]] = (await manager.query(
    `UPDATE ${rated.table} t SET rating_avg = a.avg, rating_count = a.count
     FROM (SELECT COALESCE(avg(score), 0) AS avg, count(*)::int AS count
           FROM ${rated.ratings} WHERE ${rated.key} = $1) a
     WHERE t.id = $1
     RETURNING t.rating_avg, t.rating_count`,
    [rating.targetId],
  )) as [[{ rating_avg: number | string; rating_count: number }], number];
  return { ratingAvg: Number(row.rating_avg), ratingCount: row.rating_count };
}
