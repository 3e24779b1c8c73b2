import { resolve } from 'node:path';
import { ensureRedis, portOpen, startEmbeddedPostgres } from '../../libs/core/src';

/**
 * Finds the servers e2e tests use: the machine's PostgreSQL and Redis when they answer, else an
 * embedded PostgreSQL under .data/test-postgres (so `npm test` passes with only Node and Redis).
 * Each test file then creates its own database on that server.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_ADMIN_URL) {
    if (process.env.DATABASE_URL) {
      process.env.TEST_DATABASE_ADMIN_URL = process.env.DATABASE_URL;
    } else if (!(await portOpen(5432))) {
      const pg = await startEmbeddedPostgres(resolve(__dirname, '../../.data/test'), 54339);
      const url = new URL(pg.url);
      url.pathname = '/postgres';
      process.env.TEST_DATABASE_ADMIN_URL = url.toString();
      (globalThis as { stopTestPostgres?: () => Promise<void> }).stopTestPostgres = pg.stop;
    }
  }
  const redis = await ensureRedis(process.env.REDIS_URL, resolve(__dirname, '../../.data/test'));
  process.env.REDIS_URL = redis.url;
}
