import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppLogger, loadEnv, startInfrastructure } from '@atelier/core';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const env = loadEnv();
  await startInfrastructure(env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  app.enableShutdownHooks();
  await app.init();
  app.get(AppLogger).log('Worker ready', 'Worker');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
