import type { Pool } from 'pg';
import { NodeProcess } from '../../test/release/node-process';
import type { ReleaseStack } from '../../test/release/release-stack';
import { freePort } from '../../test/support/free-port';
import { measuredLoad, type LoadOptions } from '../support/load';
import { Measurement, Scenario } from '../support/report';
import { seedImages } from '../support/seed-images';
import {
  CORES,
  createBenchUser,
  stackDb,
  stackPids,
  startBaseline,
  startBenchStack,
  type BenchUser,
} from '../support/stack';
import { StatementCounter } from '../support/statement-counter';
import { interleave } from '../support/stats';
import { perCoreRow, startCompareStack } from '../support/compare';

const PATH = '/api/v1/images?limit=50';

interface Library {
  stack: ReleaseStack;
  db: Pool;
  user: BenchUser;
}

/** A stack (this build's, or the compared one's) with a user owning `count` images. */
async function library(count: number, compare?: string): Promise<Library> {
  const stack = compare ? await startCompareStack(compare) : await startBenchStack();
  const db = stackDb(stack);
  try {
    const user = await createBenchUser(stack, db);
    await seedImages(db, user.id, count, { gallery: false });
    const page = await fetch(`${stack.url}${PATH}`, { headers: user.auth });
    const body = (await page.json()) as { items?: unknown[] };
    if (page.status !== 200 || body.items?.length !== Math.min(50, count))
      throw new Error(`library: expected a full page, got ${page.status} with ${body.items?.length} items`);
    return { stack, db, user };
  } catch (error) {
    await db.end();
    await stack.stop();
    throw error;
  }
}

/**
 * GET /api/v1/images?limit=50 for a user owning 10,000 images, on the built api (API_WORKERS
 * processes), against a bare Fastify route running the equivalent keyset SQL on its own pool (as
 * many processes). SQL statements per request are counted on the wire (no N+1). With `--compare`,
 * the same against another build, as requests per CPU-second.
 */
export const libraryScenario: Scenario = {
  name: 'library',
  description: 'GET /images?limit=50 as a user owning 10,000 images',
  async prepare({ size, compare }) {
    const count = size === 'full' ? 10_000 : 200;
    const options = {
      seconds: size === 'full' ? 10 : 2,
      connections: size === 'full' ? 50 : 4,
      warmupSeconds: size === 'full' ? 2 : 0.5,
    };
    const mine = await library(count);
    const closers: (() => Promise<unknown>)[] = [() => mine.stack.stop(), () => mine.db.end()];
    const close = () => Promise.all(closers.map((c) => c()));
    try {
      const bare = await startBaseline('bare-server.js', {
        WORKERS: String(CORES),
        DATABASE_URL: mine.stack.env.DATABASE_URL,
        OWNER_ID: mine.user.id,
      });
      closers.push(() => bare.stop());
      const statements = await countStatements(mine, size === 'full' ? 50 : 5);
      const old = compare ? await library(count, compare) : undefined;
      if (old)
        closers.push(
          () => old.stack.stop(),
          () => old.db.end(),
        );

      const measure = (name: string, at: Library) =>
        measuredLoad(
          name,
          { ...options, url: `${at.stack.url}${PATH}`, headers: at.user.auth },
          stackPids(at.stack),
        );
      return {
        async round(index) {
          const bareOptions: LoadOptions = { ...options, url: `${bare.url}/images?limit=50` };
          const [atelier, baseline] = await interleave(
            index,
            () => measure('atelier', mine),
            () => measuredLoad('bare', bareOptions, [bare.process.pid]),
          );
          const rows: Measurement[] = [
            {
              scenario: 'library',
              metric: 'req/s',
              atelier: atelier.rps,
              baseline: baseline.rps,
              target: { op: '>=', value: 0.6, on: 'ratio' },
              note: `${count} images, ${options.connections} connections, ${options.seconds} s; S3 storage (signed URLs); api and bare SQL route: ${CORES} processes each`,
            },
            {
              scenario: 'library',
              metric: 'p99',
              unit: 'ms',
              atelier: atelier.p99,
              baseline: baseline.p99,
              target: { op: '<=', value: 2, on: 'ratio' },
            },
            {
              scenario: 'library',
              metric: 'CPU per request',
              unit: 'ms',
              atelier: atelier.cpuPerRequest,
              baseline: baseline.cpuPerRequest,
            },
          ];
          if (index === 0) rows.push(statements);
          if (old)
            rows.push(
              perCoreRow(
                'library',
                'req per CPU-second',
                atelier,
                await measure('compared build', old),
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
 * SQL statements per library request: a one-process api on the same database and environment,
 * its DATABASE_URL through a counting proxy, called `count` times one after the other; the bare
 * route is counted the same way.
 */
async function countStatements(at: Library, count: number): Promise<Measurement> {
  const counter = await StatementCounter.start(at.stack.env.DATABASE_URL);
  const port = await freePort();
  const api = new NodeProcess('api (counted)', at.stack.processes.api.entry, {
    ...at.stack.env,
    PORT: String(port),
    API_WORKERS: '1',
    DATABASE_URL: counter.url,
  });
  try {
    await api.waitForOutput(/Atelier API at /);
    const perRequest = async (url: string, headers?: Record<string, string>) => {
      await fetch(url, { headers }).then((r) => r.arrayBuffer()); // pools and caches warm
      const before = counter.statements;
      for (let i = 0; i < count; i++) {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`library: ${url} answered ${res.status}`);
      }
      return (counter.statements - before) / count;
    };
    const atelier = await perRequest(`http://127.0.0.1:${port}${PATH}`, at.user.auth);
    const bare = await startBaseline('bare-server.js', { DATABASE_URL: counter.url, OWNER_ID: at.user.id });
    const baseline = await perRequest(`${bare.url}/images?limit=50`).finally(() => bare.stop());
    return {
      scenario: 'library',
      metric: 'SQL statements per request',
      atelier,
      baseline,
      note: `Query + Execute messages counted by a proxy in front of PostgreSQL over ${count} sequential requests`,
    };
  } finally {
    await api.stop();
    await counter.close();
  }
}
