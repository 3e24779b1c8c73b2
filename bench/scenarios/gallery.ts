import type { DataSource } from 'typeorm';
import { startTestApp } from '../../test/support/test-app';
import { createUser } from '../../test/support/users';
import { assertAllOk, load, LoadResult } from '../support/load';
import { BenchRow, Scenario } from '../support/report';
import { seedImages, WORDS } from '../support/seed-images';

/**
 * The public gallery at scale: public, safe images loaded in bulk, searched by a common prompt
 * word, by a term in one row only, and by tag. Baseline: the same searches with the trigram index
 * dropped (a common word is found by walking the recency index either way; a rare one is not).
 * Prints the plan.
 */
export const galleryScenario: Scenario = {
  name: 'gallery',
  description: 'GET /gallery?q= and ?tag= over 1,000,000 public images',
  async run(size) {
    const count = size === 'full' ? 1_000_000 : 3_000;
    const seconds = size === 'full' ? 8 : 1;
    const connections = size === 'full' ? 20 : 4;
    const t = await startTestApp({ LOG_LEVEL: 'warn', FEATURES: 'images', DATABASE_POOL_SIZE: '20' });
    try {
      const owner = await createUser(t);
      const loadStarted = performance.now();
      await seedImages(t.db, owner.id, count, { gallery: true });
      const loadSeconds = (performance.now() - loadStarted) / 1000;

      const word = WORDS[3];
      // A term in one row only (its number): where the trigram index matters most.
      const rare = String(Math.floor(count * 0.777));
      const searchUrl = `${t.url}/api/v1/gallery?q=${word}&limit=24`;
      const rareUrl = `${t.url}/api/v1/gallery?q=${rare}&limit=24`;
      const tagUrl = `${t.url}/api/v1/gallery?tag=${WORDS[5]}&limit=24`;
      await expectMatches(searchUrl, 24);
      await expectMatches(rareUrl, 1);

      const scans = `q=${word}: ${await scansOf(t.db, word)}; q=${rare}: ${await scansOf(t.db, rare)}`;
      process.stderr.write(`gallery plans: ${scans}\n`);

      const measure = (url: string, clients = connections) =>
        load({ url, connections: clients, seconds, warmupSeconds: size === 'full' ? 2 : 0 });
      const search = await measure(searchUrl);
      // One client: without its index this search takes seconds, and 20 at once finish none in time.
      const rareSearch = await measure(rareUrl, 1);
      const tag = await measure(tagUrl);
      await t.db.query('DROP INDEX IF EXISTS idx_images_search_trgm');
      const searchBaseline = await measure(searchUrl);
      const rareBaseline = await measure(rareUrl, 1);
      const results = { search, rareSearch, tag, searchBaseline, rareBaseline };
      for (const [name, r] of Object.entries(results)) assertAllOk(name, r);

      const rows = (metric: string, a: LoadResult, b?: LoadResult): BenchRow[] => [
        { scenario: 'gallery', metric: `${metric} p50`, unit: 'ms', atelier: a.p50, baseline: b?.p50 },
        {
          scenario: 'gallery',
          metric: `${metric} p95`,
          unit: 'ms',
          atelier: a.p95,
          baseline: b?.p95,
          target: { op: '<', value: 30, on: 'atelier' },
        },
        { scenario: 'gallery', metric: `${metric} p99`, unit: 'ms', atelier: a.p99, baseline: b?.p99 },
      ];
      return [
        {
          scenario: 'gallery',
          metric: 'bulk load',
          unit: 's',
          atelier: loadSeconds,
          target: { op: '<', value: 120, on: 'atelier' },
          note: `${count} rows; plans: ${scans}`,
        },
        ...rows(`q=${word}`, search, searchBaseline),
        ...rows(`q=${rare} (one row, 1 client)`, rareSearch, rareBaseline),
        ...rows(`tag=${WORDS[5]}`, tag),
      ];
    } finally {
      await t.close();
    }
  },
};

async function expectMatches(url: string, expected: number): Promise<void> {
  const page = (await fetch(url).then((r) => r.json())) as { items: unknown[] };
  if (page.items?.length !== expected) {
    throw new Error(`gallery: ${url} should match ${expected}, got ${page.items?.length}`);
  }
}

/** The scan lines of the gallery search's plan for `term`. */
async function scansOf(db: DataSource, term: string): Promise<string> {
  const plan: { 'QUERY PLAN': string }[] = await db.query(
    `EXPLAIN SELECT id FROM images WHERE is_public AND deleted_at IS NULL
       AND moderation_state IN ('safe','skipped') AND search_text ILIKE $1
     ORDER BY created_at DESC, id DESC LIMIT 25`,
    [`%${term}%`],
  );
  return plan
    .map((p) => p['QUERY PLAN'].trim())
    .filter((line) => /Scan/.test(line))
    .join(' | ');
}
