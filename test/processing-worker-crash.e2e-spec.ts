import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startHuggingFaceFake, type HuggingFaceFake } from './fakes/huggingface.fake';
import { waitFor } from './fakes/wait-for';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { submitJob, waitForJobEnd } from './support/jobs';

// Bull notices a dead worker once its job lock (30 s) has expired and a stalled check runs.
jest.setTimeout(240_000);

describe('Processing: a worker killed mid-job', () => {
  let t: TestApp;
  let hf: HuggingFaceFake;
  let user: TestUser;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    hf = await startHuggingFaceFake({ token: 'hf_test' });
    t = await startTestApp({
      FEATURES: 'images,processing',
      WORKER_EMBEDDED: 'false',
      HF_TOKEN: 'hf_test',
      HF_BASE_URL: hf.url,
    });
    user = await createUser(t);
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await t?.close();
    await hf?.close();
  });

  /** A separate worker process on the same database, Redis prefix and storage as the api. */
  function startWorker(): ChildProcess {
    const root = join(__dirname, '..');
    const worker = spawn(process.execPath, ['-r', './scripts/ts-register.js', 'apps/worker/src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...t.env, HF_TOKEN: 'hf_test', HF_BASE_URL: hf.url, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(worker);
    return worker;
  }

  it('ends the job succeeded exactly once, with no duplicate images, after Bull recovers it', async () => {
    const release = hf.hold();
    const first = startWorker();
    const submitted = await submitJob(t, user, {
      type: 'generate',
      provider: 'huggingface',
      prompt: 'survives a crash',
      params: { size: '256x256', n: 2 },
    });
    expect(submitted.status).toBe(202);
    await waitFor(hf, 'held', () => hf.calls.length >= 1, {
      timeoutMs: 60_000,
      description: 'the first call',
    });
    first.kill('SIGKILL');
    await once(first, 'exit');
    release();

    startWorker();
    const { job, events } = await waitForJobEnd(t, user, submitted.body.id, 200_000);
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(events.filter((e) => e.event === 'started')).toHaveLength(2);
    expect(events.filter((e) => e.event === 'completed')).toHaveLength(1);
    const images: { job_index: number }[] = await t.db.query(
      'SELECT job_index FROM images WHERE job_id = $1 ORDER BY job_index',
      [job.id],
    );
    expect(images.map((i) => i.job_index)).toEqual([0, 1]);
    expect(job.resultImageIds).toHaveLength(2);
  });
});
