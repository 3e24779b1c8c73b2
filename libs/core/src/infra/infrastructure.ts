import { Logger } from '@nestjs/common';
import { connect } from 'node:net';
import type { Env } from '../config';
import { setRuntimeEnv } from '../config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { ensureRedis } from './redis-launcher';

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

/**
 * Embedded defaults: without DATABASE_URL, run (or reuse, when the api already started it) a
 * PostgreSQL under DATA_DIR; without REDIS_URL, use or start a local redis-server. The resulting
 * URLs are written back to the environment for the Nest config module.
 */
export async function startInfrastructure(env: Env): Promise<Infrastructure> {
  const logger = new Logger('Infrastructure');
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const port = env.EMBEDDED_POSTGRES_PORT;
    if (await portOpen(port)) {
      databaseUrl = `postgres://postgres:atelier@127.0.0.1:${port}/atelier`;
      logger.log(`Using the embedded PostgreSQL already running on port ${port}`);
    } else {
      const pg = await startEmbeddedPostgres(env.DATA_DIR, port);
      databaseUrl = pg.url;
      stops.push(pg.stop);
    }
  }
  const redis = await ensureRedis(env.REDIS_URL, env.DATA_DIR);
  stops.push(redis.stop);
  setRuntimeEnv({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
  return {
    databaseUrl,
    redisUrl: redis.url,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch((e: Error) => logger.error(e.message));
    },
  };
}
