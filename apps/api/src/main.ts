import 'reflect-metadata';
import cluster from 'node:cluster';
import { DataSource } from 'typeorm';
import {
  API_PREFIX,
  AppLogger,
  dataSourceOptions,
  Env,
  loadEnv,
  prepareDatabase,
  startInfrastructure,
} from '@atelier/core';
import { ENTITIES } from '../../../config/entities';
import { runSeeds } from '../../../seeds/run-seeds';
import { runApiCluster } from './cluster/api-primary';
import { serveAsClusterWorker } from './cluster/api-worker';
import { primaryLogger } from './cluster/primary-logger';
import { createApiApp } from './create-api-app';

/**
 * One api process (API_WORKERS=1), or a cluster: the primary starts the embedded infrastructure
 * when used, migrates and seeds the database once, then forks API_WORKERS processes serving PORT.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  if (cluster.isWorker) return serveAsClusterWorker(env);
  if (env.API_WORKERS === 1) {
    await startInfrastructure(env);
    // Migrations and missing reference data are written while the app boots (DatabaseModule).
    const app = await createApiApp(loadEnv());
    await app.listen({ port: env.PORT, host: env.HOST });
    app.get(AppLogger).log(startupLine(env), 'Atelier');
    // On SIGTERM/SIGINT, Nest's shutdown hooks close HTTP, queues and the database; the embedded
    // PostgreSQL and redis-server stop when the process exits.
    return;
  }
  const logger = primaryLogger(env);
  const infrastructure = await startInfrastructure(env);
  await prepareDatabaseOnce(loadEnv());
  await runApiCluster(env, logger, infrastructure.stop);
  logger.info({ context: 'Atelier', apiProcesses: env.API_WORKERS }, startupLine(env));
}

function startupLine(env: Env): string {
  const url = env.APP_URL.replace(/\/$/, '');
  return `Atelier API at ${url}/${API_PREFIX} · Swagger UI ${url}/docs · queue dashboard ${url}/admin/queues`;
}

/** What DatabaseModule does at each boot, done by the primary alone (cluster workers skip it). */
async function prepareDatabaseOnce(env: Env): Promise<void> {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set and no embedded PostgreSQL was started');
  const dataSource = await new DataSource(dataSourceOptions(env.DATABASE_URL, ENTITIES, 1)).initialize();
  try {
    await prepareDatabase(dataSource, { migrate: env.DATABASE_MIGRATE, seed: (ds) => runSeeds(ds, env) });
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
