import Fastify from 'fastify';
import { Pool } from 'pg';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { startTestApp } from '../../test/support/test-app';
import { createUser } from '../../test/support/users';
import { assertAllOk, load } from '../support/load';
import { Scenario } from '../support/report';
import { seedImages } from '../support/seed-images';

/**
 * GET /api/v1/images?limit=50 for a user owning many images, against a bare Fastify route running
 * the equivalent keyset SQL on its own pool. Also counts SQL queries per request (must not grow
 * with the page size: no N+1).
 */
export const libraryScenario: Scenario = {
  name: 'library',
  description: 'GET /images?limit=50 as a user owning 10,000 images',
  async run(size) {
    const count = size === 'full' ? 10_000 : 200;
    const seconds = size === 'full' ? 10 : 1;
    const connections = size === 'full' ? 50 : 4;
    const t = await startTestApp({ LOG_LEVEL: 'warn', FEATURES: 'images', DATABASE_POOL_SIZE: '20' });
    const bare = Fastify({ logger: false });
    const pool = new Pool({ connectionString: t.env.DATABASE_URL, max: 20 });
    try {
      const user = await createUser(t);
      await seedImages(t.db, user.id, count, { gallery: false });

      let queries = 0;
      const original = t.db.logger;
      t.db.logger = { ...noopLogger, logQuery: () => void queries++ } as TypeOrmLogger;
      const probe = await t.http.get('/api/v1/images?limit=50').set(user.auth);
      t.db.logger = original;
      if (probe.status !== 200 || probe.body.items.length !== Math.min(50, count)) {
        throw new Error(
          `library: expected a full page, got ${probe.status} with ${probe.body.items?.length} items`,
        );
      }

      bare.get('/images', async () => {
        const { rows } = await pool.query(
          `SELECT * FROM images WHERE owner_id = $1 AND deleted_at IS NULL
            ORDER BY created_at DESC, id DESC LIMIT 51`,
          [user.id],
        );
        return { items: rows.slice(0, 50), nextCursor: rows.length > 50 ? rows[49].id : null };
      });
      await bare.listen({ port: 0, host: '127.0.0.1' });
      const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/images`;

      const warmupSeconds = size === 'full' ? 2 : 0;
      const baseline = await load({ url: bareUrl, connections, seconds, warmupSeconds });
      const atelier = await load({
        url: `${t.url}/api/v1/images?limit=50`,
        headers: user.auth,
        connections,
        seconds,
        warmupSeconds,
      });
      assertAllOk('bare', baseline);
      assertAllOk('atelier', atelier);
      return [
        { scenario: 'library', metric: 'req/s', atelier: atelier.rps, baseline: baseline.rps },
        {
          scenario: 'library',
          metric: 'p99',
          unit: 'ms',
          atelier: atelier.p99,
          baseline: baseline.p99,
          target: { op: '<', value: 25, on: 'atelier' },
        },
        { scenario: 'library', metric: 'SQL queries per request', atelier: queries, baseline: 1 },
      ];
    } finally {
      await bare.close();
      await pool.end();
      await t.close();
    }
  },
};

const noopLogger = {
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};
