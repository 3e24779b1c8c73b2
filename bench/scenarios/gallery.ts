import type { Pool } from 'pg';
import type { ReleaseStack } from '../../test/release/release-stack';
import { perCoreRow, startCompareStack } from '../support/compare';
import { measuredLoad } from '../support/load';
import { Measurement, Scenario } from '../support/report';
import { seedImages, WORDS } from '../support/seed-images';
import { CORES, createBenchUser, stackDb, stackPids, startBaseline, startBenchStack } from '../support/stack';
import { interleave } from '../support/stats';

const WORD = WORDS[3];
const TAG = WORDS[5];
const SEARCH = `/api/v1/gallery?q=${WORD}&limit=24`;
const BY_TAG = `/api/v1/gallery?tag=${TAG}&limit=24`;

interface Gallery {
  stack: ReleaseStack;
  db: Pool;
  loadSeconds: number;
}

/** A stack (this build's, or the compared one's) with `count` public images, loaded once for every round. */
async function gallery(count: number, compare?: string): Promise<Gallery> {
  const stack = compare ? await startCompareStack(compare) : await startBenchStack();
  const db = stackDb(stack);
  try {
    const owner = await createBenchUser(stack, db);
    const started = performance.now();
    await seedImages(db, owner.id, count, { gallery: true });
    const loadSeconds = (performance.now() - started) / 1000;
    for (const path of [SEARCH, BY_TAG]) {
      const page = (await fetch(`${stack.url}${path}`).then((r) => r.json())) as { items?: unknown[] };
      if (page.items?.length !== 24)
        throw new Error(`gallery: ${path} should fill a page, got ${page.items?.length}`);
    }
    return { stack, db, loadSeconds };
  } catch (error) {
    await db.end();
    await stack.stop();
    throw error;
  }
}

/**
 * The public gallery at 1,000,000 public images on the built api: a common prompt word (`q=`)
 * against the same search as raw SQL on bare Fastify (as many processes), and a tag (`tag=`)
 * against that `q=`. Prints the tag query's plan. With `--compare`, `q=` against another build,
 * as requests per CPU-second.
 */
export const galleryScenario: Scenario = {
  name: 'gallery',
  description: 'GET /gallery?q= and ?tag= over 1,000,000 public images',
  async prepare({ size, compare }) {
    const count = size === 'full' ? 1_000_000 : 3_000;
    const options = {
      seconds: size === 'full' ? 8 : 2,
      connections: size === 'full' ? 20 : 4,
      warmupSeconds: size === 'full' ? 2 : 0.5,
    };
    const mine = await gallery(count);
    const closers: (() => Promise<unknown>)[] = [() => mine.stack.stop(), () => mine.db.end()];
    const close = () => Promise.all(closers.map((c) => c()));
    try {
      const bare = await startBaseline('bare-server.js', {
        WORKERS: String(CORES),
        DATABASE_URL: mine.stack.env.DATABASE_URL,
      });
      closers.push(() => bare.stop());
      const plan = await tagPlan(mine.db);
      process.stderr.write(`gallery: tag query plan: ${plan}\n`);
      const old = compare ? await gallery(count, compare) : undefined;
      if (old)
        closers.push(
          () => old.stack.stop(),
          () => old.db.end(),
        );

      const measure = (name: string, at: Gallery, path: string) =>
        measuredLoad(name, { ...options, url: `${at.stack.url}${path}` }, stackPids(at.stack));
      return {
        async round(index) {
          const [search, raw] = await interleave(
            index,
            () => measure('atelier q=', mine, SEARCH),
            () =>
              measuredLoad('raw SQL q=', { ...options, url: `${bare.url}/gallery?q=${WORD}&limit=24` }, [
                bare.process.pid,
              ]),
          );
          const tag = await measure('atelier tag=', mine, BY_TAG);
          const rows: Measurement[] = [
            {
              scenario: 'gallery',
              metric: `q=${WORD} req/s`,
              atelier: search.rps,
              baseline: raw.rps,
              note: `${count} public images, ${options.connections} connections, ${options.seconds} s; baseline: the same search as raw SQL on bare Fastify, ${CORES} processes`,
            },
            {
              scenario: 'gallery',
              metric: `q=${WORD} p95 vs raw SQL`,
              unit: 'ms',
              atelier: search.p95,
              baseline: raw.p95,
              target: { op: '<=', value: 1.2, on: 'ratio' },
            },
            {
              scenario: 'gallery',
              metric: `tag=${TAG} p95 vs q=${WORD} p95`,
              unit: 'ms',
              atelier: tag.p95,
              baseline: search.p95,
              baselineName: 'q=',
              target: { op: '<=', value: 1.2, on: 'ratio' },
              note: `tag query plan: ${plan}`,
            },
            { scenario: 'gallery', metric: `tag=${TAG} req/s`, atelier: tag.rps },
            {
              scenario: 'gallery',
              metric: `q=${WORD} CPU per request`,
              unit: 'ms',
              atelier: search.cpuPerRequest,
              baseline: raw.cpuPerRequest,
            },
          ];
          if (index === 0)
            rows.push({
              scenario: 'gallery',
              metric: 'bulk load',
              unit: 's',
              atelier: mine.loadSeconds,
              target: { op: '<', value: 120, on: 'atelier' },
              note: `${count} rows with generate_series, secondary indexes built after the load`,
            });
          if (old)
            rows.push(
              perCoreRow(
                'gallery',
                `q=${WORD} req per CPU-second`,
                search,
                await measure('compared build q=', old, SEARCH),
                compare!,
              ),
            );
          return rows;
        },
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  },
};

/**
 * The plan of the gallery's tag filter as the api builds it (visible, joined from the tag's rows,
 * newest first): its scan lines, to show whether an index serves it.
 */
async function tagPlan(db: Pool): Promise<string> {
  // GalleryService.list's shape: the tag's rows carry their image's created_at (one index walk).
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT i.id FROM images i
       INNER JOIN image_tags t ON t.image_id = i.id AND t.tag = $1
      WHERE i.is_public AND i.deleted_at IS NULL AND i.moderation_state IN ('safe', 'skipped')
      ORDER BY t.image_created_at DESC, t.image_id DESC LIMIT 25`,
    [TAG],
  );
  return rows
    .map((r) => r['QUERY PLAN'].trim())
    .filter((line) => /Scan|Join|Limit|Sort/.test(line))
    .join(' | ');
}
