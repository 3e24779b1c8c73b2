import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnv, startInfrastructure } from '@atelier/core';
import { runSeeds } from '../../../seeds/run-seeds';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const env = loadEnv();
  const infrastructure = await startInfrastructure(env);
  const app = await createApiApp(loadEnv());
  // A database this process created itself is a fresh local setup: give it its reference data.
  if (infrastructure.embeddedDatabase) await runSeeds(app.get(DataSource), env);
  await app.listen({ port: env.PORT, host: env.HOST });
  // On SIGTERM/SIGINT, Nest's shutdown hooks close HTTP, queues and the database; the embedded
  // PostgreSQL and redis-server stop when the process exits.
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
