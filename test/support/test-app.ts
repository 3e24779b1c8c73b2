import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { parseEnv } from '../../libs/core/src';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { ContractValidator } from './contract-validator';
import { createScratchDatabase } from './database';
import { deleteRedisKeys } from './redis-keys';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  http: ReturnType<typeof request>;
  db: DataSource;
  env: Record<string, string>;
  storageDir: string;
  /** Every response checked against the OpenAPI document; close() fails on any mismatch. */
  contract: ContractValidator;
  close(): Promise<void>;
}

/**
 * Boots the real api (embedded worker included) on a random port, against its own fresh
 * database and its own Redis key prefix, exactly as `main.ts` does. Environment overrides go in
 * `env`. Every response is validated against the OpenAPI document; close() throws the mismatches.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createScratchDatabase();
  const storageDir = mkdtempSync(join(tmpdir(), 'atelier-media-'));
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    STORAGE_SIGNING_SECRET: randomBytes(16).toString('hex'),
    STORAGE_DIR: storageDir,
    DATA_DIR: storageDir,
    // Test clients pose as many addresses (X-Forwarded-For) to stay under per-IP rate limits.
    TRUST_PROXY: 'true',
    ...env,
  };
  Object.assign(process.env, settings);
  const app = await createApiApp(parseEnv(process.env));
  const contract = new ContractValidator(app);
  contract.install();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const db = app.get(DataSource);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    http: request(url),
    db,
    env: settings,
    storageDir,
    contract,
    close: async () => {
      await app.close();
      await database.drop();
      rmSync(storageDir, { recursive: true, force: true });
      await deleteRedisKeys(settings.REDIS_URL, prefix);
      contract.assertNone();
    },
  };
}
