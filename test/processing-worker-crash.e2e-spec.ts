import { once } from 'node:events';
import type { HuggingFaceFake } from './fakes/huggingface.fake';
import { waitFor } from './fakes/wait-for';
import type { TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { submitJob, waitForJobEnd } from './support/jobs';
import { startWithSeparateWorkers, type SeparateWorkers } from './support/worker-processes';

// Bull notices a dead worker once its job lock (30 s) has expired and a stalled check runs.
jest.setTimeout(240_000);

describe('Processing: a worker killed mid-job', () => {
  let setup: SeparateWorkers;
  let t: TestApp;
  let hf: HuggingFaceFake;
  let user: TestUser;

  beforeAll(async () => {
    setup = await startWithSeparateWorkers();
    ({ t, hf } = setup);
    user = await createUser(t);
  });
  afterAll(() => setup?.close());

  const startWorker = () => setup.startWorker();

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
