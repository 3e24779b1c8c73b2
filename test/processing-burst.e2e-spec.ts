import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { submitJob, waitForJobEnd } from './support/jobs';

jest.setTimeout(120_000);

// At 1bcb13e a claim held one pooled connection inside its transaction and asked for a second
// (the owner's plan): one user's burst of 12 jobs with JOB_CONCURRENCY=16 and the default pool of
// 10 left every connection waiting on the owner's lock, and the worker stalled for everyone.
describe('Processing: a burst of jobs larger than the database pool', () => {
  const BURST = 30;
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    // Default JOB_CONCURRENCY and DATABASE_POOL_SIZE: the settings people run.
    t = await startTestApp({ FEATURES: 'images,processing' });
    // One user whose plan lets the whole burst contend for claims at once.
    await t.db.query("UPDATE plans SET concurrency = 16, daily_generations = 1000 WHERE slug = 'free'");
    user = await createUser(t);
  });
  afterAll(() => t?.close());

  it('runs every job of one user to the end on the default settings', async () => {
    const pool = (t.app.get(DataSource).options.extra as { max: number }).max;
    expect(BURST).toBeGreaterThan(pool);
    const submitted = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        submitJob(t, user, { type: 'generate', prompt: `burst ${i}`, params: { size: '64x64' } }),
      ),
    );
    expect(submitted.map((res) => res.status)).toEqual(Array(BURST).fill(202));
    const ended = await Promise.all(submitted.map((res) => waitForJobEnd(t, user, res.body.id, 90_000)));
    expect(ended.map(({ job }) => job.status)).toEqual(Array(BURST).fill('succeeded'));
    const [{ count }] = await t.db.query(
      "SELECT count(*)::int AS count FROM images WHERE owner_id = $1 AND source = 'generated'",
      [user.id],
    );
    expect(count).toBe(BURST);
  });
});
