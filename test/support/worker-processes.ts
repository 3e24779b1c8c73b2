import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startHuggingFaceFake, type HuggingFaceFake } from '../fakes/huggingface.fake';
import { startTestApp, type TestApp } from './test-app';

export interface SeparateWorkers {
  t: TestApp;
  hf: HuggingFaceFake;
  /** Starts a worker process on the same database, Redis prefix and storage as the api. */
  startWorker(): ChildProcess;
  close(): Promise<void>;
}

/**
 * An api without an embedded worker, a Hugging Face fake, and worker processes a test can
 * start and kill (SIGKILL is how a crashed worker is simulated).
 */
export async function startWithSeparateWorkers(env: Record<string, string> = {}): Promise<SeparateWorkers> {
  const hf = await startHuggingFaceFake({ token: 'hf_test' });
  const t = await startTestApp({
    FEATURES: 'images,processing',
    WORKER_EMBEDDED: 'false',
    HF_TOKEN: 'hf_test',
    HF_BASE_URL: hf.url,
    ...env,
  });
  const workers: ChildProcess[] = [];
  return {
    t,
    hf,
    startWorker() {
      const worker = spawn(process.execPath, ['-r', './scripts/ts-register.js', 'apps/worker/src/main.ts'], {
        cwd: join(__dirname, '..', '..'),
        env: { ...process.env, ...t.env, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
      await t.close();
      await hf.close();
    },
  };
}
