import 'reflect-metadata';
import { API_PREFIX, AppLogger, loadEnv, startInfrastructure } from '@atelier/core';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const env = loadEnv();
  await startInfrastructure(env);
  // Migrations and missing reference data are written while the app boots (DatabaseModule).
  const app = await createApiApp(loadEnv());
  await app.listen({ port: env.PORT, host: env.HOST });
  const url = env.APP_URL.replace(/\/$/, '');
  app
    .get(AppLogger)
    .log(
      `Atelier API at ${url}/${API_PREFIX} · Swagger UI ${url}/docs · queue dashboard ${url}/admin/queues`,
      'Atelier',
    );
  // On SIGTERM/SIGINT, Nest's shutdown hooks close HTTP, queues and the database; the embedded
  // PostgreSQL and redis-server stop when the process exits.
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
