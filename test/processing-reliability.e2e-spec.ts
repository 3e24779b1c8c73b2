import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JobReconciler } from '../libs/processing/src/maintenance/job-reconciler';
import { JobRetention } from '../libs/processing/src/maintenance/job-retention';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { quotaUsed, submitJob, waitForJobEnd } from './support/jobs';

describe('Processing: reconciler and retention', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    // The lease sweep waits an hour, so only the reconcile passes these tests call touch the rows.
    t = await startTestApp({
      FEATURES: 'images,processing',
      JOB_LEASE_SECONDS: '7200',
      JOB_HEARTBEAT_SECONDS: '3600',
    });
    user = await createUser(t);
  });
  afterAll(() => t?.close());

  /** A job row as if its submit had lost Redis (or its worker), with one unit of quota taken. */
  async function insertJob(status: 'queued' | 'running', extra: string, attempts = 0): Promise<string> {
    await t.db.query(
      `INSERT INTO quota_usage (user_id, day, kind, used) VALUES ($1, (now() AT TIME ZONE 'utc')::date, 'generation', 1)
       ON CONFLICT (user_id, day, kind) DO UPDATE SET used = quota_usage.used + 1`,
      [user.id],
    );
    const [{ id }] = await t.db.query(
      `INSERT INTO jobs (owner_id, type, status, provider, model, prompt, params, quota_kind, quota_units, quota_day,
                         attempts, queued_at, lease_expires_at)
       VALUES ($1, 'generate', $2, 'local', 'local-v1', 'recovered',
               '{"width": 64, "height": 64, "n": 1, "outputFormat": "png", "seed": 1}',
               'generation', 1, (now() AT TIME ZONE 'utc')::date, $3, ${extra})
       RETURNING id`,
      [user.id, status, attempts],
    );
    return id;
  }

  it('enqueues a queued row Bull does not know (Redis was away at submit), and it runs', async () => {
    const id = await insertJob('queued', "now() - interval '2 minutes', NULL");
    const fresh = await insertJob('queued', 'now(), NULL');
    const result = await t.app.get(JobReconciler).reconcile();
    expect(result.requeued).toBe(1);
    const { job } = await waitForJobEnd(t, user, id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(job.resultImageIds).toHaveLength(1);
    // Younger than the grace period: it may still be on its way into Bull, so it is left alone.
    const [row] = await t.db.query('SELECT status FROM jobs WHERE id = $1', [fresh]);
    expect(row.status).toBe('queued');
  });

  it('re-queues a running row past its lease (its worker died after the claim), and it runs', async () => {
    const id = await insertJob('running', "now() - interval '1 hour', now() - interval '1 minute'", 1);
    const result = await t.app.get(JobReconciler).reconcile();
    expect(result.expired).toBe(1);
    const { job, events } = await waitForJobEnd(t, user, id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(events.find((e) => e.event === 'retrying')?.data.data).toMatchObject({ code: 'lease_expired' });
  });

  it('fails a running row past its lease with lease_expired once its attempts are spent, refunding its quota', async () => {
    const id = await insertJob('running', "now() - interval '1 hour', now() - interval '1 minute'", 3);
    const before = await quotaUsed(t, user.id, 'generation');
    const result = await t.app.get(JobReconciler).reconcile();
    expect(result.expired).toBe(1);
    const res = await t.http.get(`/api/v1/jobs/${id}`).set(user.auth);
    expect(res.body).toMatchObject({ status: 'failed', error: { code: 'lease_expired' } });
    expect(await quotaUsed(t, user.id, 'generation')).toBe(before - 1);
    expect((await t.app.get(JobReconciler).reconcile()).expired).toBe(0);
  });

  it('prunes the events of jobs finished longer ago than JOB_RETENTION_DAYS, keeping the rows', async () => {
    const submitted = await submitJob(t, user, {
      type: 'generate',
      prompt: 'old news',
      params: { size: '64x64' },
    });
    const recent = await submitJob(t, user, { type: 'generate', prompt: 'fresh', params: { size: '64x64' } });
    await Promise.all([waitForJobEnd(t, user, submitted.body.id), waitForJobEnd(t, user, recent.body.id)]);
    const preview = join(t.storageDir, 'users', user.id, 'jobs', submitted.body.id, 'preview.png');
    expect(existsSync(preview)).toBe(true);
    await t.db.query("UPDATE jobs SET finished_at = now() - interval '31 days' WHERE id = $1", [
      submitted.body.id,
    ]);
    expect(await t.app.get(JobRetention).pruneEvents()).toBeGreaterThan(0);
    expect(existsSync(preview)).toBe(false);
    const counts: { job_id: string; count: number }[] = await t.db.query(
      'SELECT job_id, count(*)::int AS count FROM job_events WHERE job_id = ANY($1) GROUP BY job_id',
      [[submitted.body.id, recent.body.id]],
    );
    expect(counts.map((c) => c.job_id)).toEqual([recent.body.id]);
    // The stream of a pruned job has nothing to replay: 204, and the row keeps the outcome.
    const stream = await t.http.get(`/api/v1/jobs/${submitted.body.id}/events`).set(user.auth);
    expect(stream.status).toBe(204);
    const res = await t.http.get(`/api/v1/jobs/${submitted.body.id}`).set(user.auth);
    expect(res.body.status).toBe('succeeded');
  });
});
