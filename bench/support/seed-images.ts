import type { Pool } from 'pg';

// Words for prompts and tags: a common one (in a tenth of the rows) and rarer ones.
export const WORDS = [
  'castle',
  'ocean',
  'forest',
  'neon',
  'portrait',
  'dragon',
  'sunset',
  'robot',
  'garden',
  'winter',
];

/**
 * Bulk-loads `count` image rows for `ownerId` with generate_series (one statement per table),
 * public and moderated safe when `gallery` is set. No objects are stored: lists and searches
 * read rows only. Big loads (the gallery's million) drop the tables' secondary indexes first and
 * build them again after: one sort per index instead of a million index updates.
 */
export async function seedImages(
  db: Pool,
  ownerId: string,
  count: number,
  options: { gallery: boolean },
): Promise<void> {
  const rebuild = count >= 100_000 ? await dropSecondaryIndexes(db) : [];
  await db.query(
    `INSERT INTO images (owner_id, title, source, prompt, width, height, mime, bytes, sha256, original_key,
                         thumbnail_key, status, moderation_state, is_public, shared_at, favorites_count,
                         search_text, created_at)
     SELECT $1::uuid, 'image ' || g, 'generated',
            'a ' || w1 || ' near a ' || w2 || ' number ' || g, 64, 64, 'image/png', 1000, md5(g::text),
            'users/' || $1::text || '/images/' || g || '/original.png', 'users/' || $1::text || '/images/' || g || '/thumbnail.webp',
            'generated', 'safe', $3, CASE WHEN $3 THEN now() END, (g::bigint * 7919) % 1000,
            lower('image ' || g || ' a ' || w1 || ' near a ' || w2 || ' number ' || g || ' ' || w1),
            now() - (g || ' seconds')::interval
       FROM generate_series(1, $2::int) AS g,
            LATERAL (SELECT ($4::text[])[1 + g % 10] AS w1, ($4::text[])[1 + (g / 10) % 10] AS w2) AS words`,
    [ownerId, count, options.gallery, WORDS],
  );
  await db.query(
    `INSERT INTO image_tags (image_id, tag, owner_id)
     SELECT id, split_part(search_text, ' ', 4), owner_id FROM images WHERE owner_id = $1`,
    [ownerId],
  );
  for (const definition of rebuild) await db.query(definition);
  await db.query('ANALYZE images; ANALYZE image_tags');
}

/** Drops the indexes of images and image_tags that back no constraint; returns their definitions. */
async function dropSecondaryIndexes(db: Pool): Promise<string[]> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes i
      WHERE schemaname = current_schema() AND tablename IN ('images', 'image_tags')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const { name } of rows) await db.query(`DROP INDEX "${name}"`);
  return rows.map((r) => r.definition);
}
