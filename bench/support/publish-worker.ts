import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadEnv } from '../../libs/core/src';
import { PublishingCron } from '../../libs/scheduler/src';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { drainDuePosts } from './drain-due-posts';

/**
 * A second worker process for the publish scenario: apps/worker's module (same env, so the same
 * database, Redis prefix and queues), plus an IPC command to run the publishing cron now.
 * Messages: sends `ready`, then on `publish` drains the due posts and sends `drained`.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  process.on('message', (message) => {
    if (message === 'publish') {
      drainDuePosts(app.get(PublishingCron)).then(
        () => process.send?.('drained'),
        (error: Error) => process.send?.(`error: ${error.message}`),
      );
    }
  });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.send?.('ready');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
