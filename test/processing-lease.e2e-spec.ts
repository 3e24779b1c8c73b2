import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import Redis from 'ioredis';
import type { HuggingFaceFake } from './fakes/huggingface.fake';
import { waitFor } from './fakes/wait-for';
import type { TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { submitJob, waitForJobEnd } from './support/jobs';
import { startWithSeparateWorkers, type SeparateWorkers } from './support/worker-processes';

jest.setTimeout(180_000);

const LEASE_SECONDS = 4;

/**
 * The heartbeat lease, with a 4 s lease renewed every second: a running job keeps its lease for
 * as long as its worker lives, and a job whose worker died is running again within a lease and
 * a heartbeat, even when Bull lost its queue entry (at 1bcb13e it stayed `running` for 15 min).
 */
describe('Processing: the heartbeat lease of running jobs', () => {
  let setup: SeparateWorkers;
  let t: TestApp;
  let hf: HuggingFaceFake;
  let user: TestUser;

  beforeAll(async () => {
    setup = await startWithSeparateWorkers({
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_HEARTBEAT_SECONDS: '1',
    });
    ({ t, hf } = setup);
    user = await createUser(t);
  });
  afterAll(() => setup?.close());

  const startWorker = () => setup.startWorker();

  /** Polls the job row (bounded) until `check` holds; the lease lives only in the database. */
  async function waitForRow(
    jobId: string,
    check: (row: { status: string; lease_expires_at: Date | null; started_at: Date | null }) => boolean,
    description: string,
  ): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [row] = await t.db.query('SELECT status, lease_expires_at, started_at FROM jobs WHERE id = $1', [
        jobId,
      ]);
      if (row && check(row)) return;
      await delay(250);
    }
    throw new Error(`timed out waiting for ${description}`);
  }

  async function submitHeldJob(prompt: string): Promise<string> {
    const submitted = await submitJob(t, user, {
      type: 'generate',
      provider: 'huggingface',
      prompt,
      params: { size: '256x256' },
    });
    expect(submitted.status).toBe(202);
    await waitFor(hf, 'held', () => hf.calls.length >= 1, {
      timeoutMs: 60_000,
      description: 'the provider call',
    });
    return submitted.body.id;
  }

  it('renews the lease of a job running longer than several leases, which then succeeds once', async () => {
    hf.calls.length = 0;
    const release = hf.hold();
    const worker = startWorker();
    try {
      const jobId = await submitHeldJob('a long render');
      // Still running, its lease renewed well past three leases after it started.
      await waitForRow(
        jobId,
        (row) =>
          row.status === 'running' &&
          row.lease_expires_at!.getTime() - row.started_at!.getTime() > 3 * LEASE_SECONDS * 1000,
        'the lease to be renewed past three leases',
      );
      release();
      const { job, events } = await waitForJobEnd(t, user, jobId, 60_000);
      expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(events.map((e) => e.event)).not.toContain('retrying');
    } finally {
      release();
      worker.kill('SIGKILL');
      await once(worker, 'exit');
    }
  });

  it('runs again, within a lease and a heartbeat, a job whose worker died and whose queue entry was lost', async () => {
    hf.calls.length = 0;
    const release = hf.hold();
    const first = startWorker();
    const jobId = await submitHeldJob('outlives its worker');
    first.kill('SIGKILL');
    await once(first, 'exit');
    release();
    // Redis lost the queue's data too, so Bull's stalled-job recovery has nothing to recover.
    const redis = new Redis(t.env.REDIS_URL);
    try {
      const keys = await redis.keys(`${t.env.QUEUE_PREFIX}:generation:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }

    startWorker();
    const { job, events } = await waitForJobEnd(t, user, jobId, 60_000);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
    const retrying = events.find((e) => e.event === 'retrying');
    expect(retrying?.data.data).toMatchObject({ code: 'lease_expired' });
    // Re-queued once the lease ran out, not minutes later.
    const lostAt = new Date(events.filter((e) => e.event === 'started')[0].data.createdAt);
    const requeuedAt = new Date(retrying!.data.createdAt);
    expect(requeuedAt.getTime() - lostAt.getTime()).toBeLessThan(60_000);
  });
});
