import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '../libs/core/src';
import { imageJobId, OrphanedObjects } from '../libs/images/src';
import { JobStatsRefresher } from '../libs/processing/src';
import { StorageService } from '../libs/storage/src';
import { awaitImageJobs, awaitJob, imageBytes } from './support/images';
import { submitJob, uploadImage, waitForJobEnd } from './support/jobs';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

describe('Processing: SSE for browsers, job statistics and orphaned objects', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let seed = 0;

  beforeAll(async () => {
    t = await startTestApp({ FEATURES: 'images,processing' });
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
  });
  afterAll(() => t?.close());

  const upload = async (user: TestUser) => uploadImage(t, user, await imageBytes('png', 64, 48, ++seed));

  async function runJob(user: TestUser, body: Record<string, unknown>) {
    const submitted = await submitJob(t, user, body);
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, user, submitted.body.id);
    expect(job.status).toBe('succeeded');
    return job;
  }

  describe('GET /jobs/:id/events with ?access_token', () => {
    it('streams to a client that cannot send headers, and exposes workflowId, styleId, templateId', async () => {
      const submitted = await submitJob(t, alice, {
        type: 'generate',
        prompt: 'a kite',
        params: { size: '64x64' },
      });
      expect(submitted.body).toMatchObject({ workflowId: null, styleId: null, templateId: null });
      const res = await fetch(
        `${t.url}/api/v1/jobs/${submitted.body.id}/events?access_token=${encodeURIComponent(alice.accessToken)}`,
        { headers: { accept: 'text/event-stream' } },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const body = await res.text(); // the server ends the stream after the final event
      expect(body).toMatch(/^event: queued$/m);
      expect(body).toMatch(/^event: completed$/m);
    });

    it('answers 401 without a valid token and 404 for someone else’s job', async () => {
      const submitted = await submitJob(t, alice, {
        type: 'generate',
        prompt: 'a boat',
        params: { size: '64x64' },
      });
      const events = `/api/v1/jobs/${submitted.body.id}/events`;
      const none = await t.http.get(events);
      expect([none.status, none.body.code]).toEqual([401, 'unauthenticated']);
      const forged = await t.http.get(events).query({ access_token: 'not.a.jwt' });
      expect([forged.status, forged.body.code]).toEqual([401, 'invalid_token']);
      const stranger = await t.http.get(events).query({ access_token: bob.accessToken });
      expect([stranger.status, stranger.body.code]).toEqual([404, 'job_not_found']);
      await waitForJobEnd(t, alice, submitted.body.id);
    });
  });

  describe('GET /me/stats', () => {
    const stats = async (user: TestUser) =>
      (await t.http.get('/api/v1/me/stats').set(user.auth).expect(200)).body;

    it('counts each job the moment it finishes, by status, provider, type and day', async () => {
      const carol = await createUser(t);
      expect((await stats(carol)).jobs).toMatchObject({ total: 0, perDay: [], refreshedAt: null });

      await runJob(carol, { type: 'generate', prompt: 'two moons', params: { size: '64x64', n: 2 } });
      await runJob(carol, { type: 'generate', prompt: 'one moon', params: { size: '64x64', n: 1 } });
      const sourceId = await upload(carol);
      await runJob(carol, { type: 'edit', prompt: 'add stars', sourceImageId: sourceId });

      // No refresh ran: the counts are the ones written as each job finished.
      const today = new Date().toISOString().slice(0, 10);
      const live = await stats(carol);
      const expectedToday = {
        total: 3,
        byStatus: { succeeded: 3, failed: 0, cancelled: 0 },
        byProvider: { local: 3 },
        byType: { generate: 2, edit: 1 },
        images: 4,
      };
      expect(live.jobs).toMatchObject(expectedToday);
      expect(live.jobs.perDay).toEqual([{ day: today, succeeded: 3, failed: 0, cancelled: 0, images: 4 }]);
      expect(Date.now() - Date.parse(live.jobs.refreshedAt)).toBeLessThan(60_000);
      expect(live.images).toMatchObject({ total: 5, bySource: { generated: 3, edited: 1, upload: 1 } });

      // The daily pass agrees, run once or twice.
      const refresher = t.app.get(JobStatsRefresher);
      await refresher.refresh(2);
      await refresher.refresh(2);
      expect((await stats(carol)).jobs).toMatchObject(expectedToday);

      const bobs = (await stats(bob)).jobs;
      expect(bobs).toMatchObject({ total: 0, byProvider: {}, perDay: [] });
      await t.http.get('/api/v1/me/stats').expect(401);
    });

    it('the daily pass rebuilds history that finished before live counting (older than any stats day)', async () => {
      const dave = await createUser(t);
      await runJob(dave, { type: 'generate', prompt: 'a comet', params: { size: '64x64', n: 1 } });
      // Older outcomes, as an installation from before live counting would have them.
      const insertFinished = (type: string, status: string, ago: string) =>
        t.db.query(
          `INSERT INTO jobs (owner_id, type, status, provider, params, quota_kind, quota_units, quota_day, finished_at)
           VALUES ($1, $2, $3, 'local', '{}', 'generation', 1, current_date, now() - $4::interval)`,
          [dave.id, type, status, ago],
        );
      await insertFinished('generate', 'failed', '1 day');
      await insertFinished('style_transfer', 'cancelled', '40 days');
      expect((await stats(dave)).jobs.total).toBe(1);

      expect(await t.app.get(JobStatsRefresher).refreshDaily()).toBeGreaterThanOrEqual(3);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const rebuilt = (await stats(dave)).jobs;
      expect(rebuilt).toMatchObject({
        total: 3,
        byStatus: { succeeded: 1, failed: 1, cancelled: 1 },
        byType: { generate: 2, style_transfer: 1 },
        images: 1,
      });
      expect(rebuilt.perDay[0]).toEqual({ day: yesterday, succeeded: 0, failed: 1, cancelled: 0, images: 0 });
    });
  });

  describe('orphaned objects', () => {
    it('deletes the objects of images deleted over a day ago whose purge failed or never ran', async () => {
      const storage = t.app.get(StorageService);
      const media = t.app.get<Queue>(getQueueToken(QueueName.Media));
      const ids = { neverPurged: '', purgeFailed: '', purged: '', recent: '', live: '' };
      for (const name of Object.keys(ids) as (keyof typeof ids)[]) {
        ids[name] = await upload(alice);
        await awaitImageJobs(t, ids[name]);
      }
      const keysOf = async (id: string): Promise<string[]> => {
        const [row] = await t.db.query('SELECT original_key, thumbnail_key FROM images WHERE id = $1', [id]);
        return [row.original_key, row.thumbnail_key];
      };
      const keys = Object.fromEntries(
        await Promise.all(Object.entries(ids).map(async ([name, id]) => [name, await keysOf(id)])),
      ) as Record<keyof typeof ids, string[]>;
      const stored = async (name: keyof typeof ids) =>
        (await Promise.all(keys[name].map((key) => storage.head(key)))).map(Boolean);

      // Deleted through the API: its purge job runs and succeeds.
      await t.http.delete(`/api/v1/images/${ids.purged}`).set(alice.auth).expect(204);
      await awaitJob(media, imageJobId.purge(ids.purged));
      // A purge job that failed for good (its payload is unusable), as an outage would leave it.
      const failing = await media.add(
        'purge-objects',
        { imageId: 'not-a-uuid' },
        { jobId: imageJobId.purge(ids.purgeFailed), attempts: 1 },
      );
      await expect(failing.finished()).rejects.toThrow();
      const softDelete = (id: string, ago: string) =>
        t.db.query(`UPDATE images SET deleted_at = now() - $2::interval WHERE id = $1`, [id, ago]);
      await softDelete(ids.neverPurged, '2 days');
      await softDelete(ids.purgeFailed, '30 hours');
      await softDelete(ids.purged, '2 days');
      await softDelete(ids.recent, '2 hours');

      const result = await t.app.get(OrphanedObjects).purge();
      expect(result).toEqual({ checked: 3, deleted: 4 });
      expect(await stored('neverPurged')).toEqual([false, false]);
      expect(await stored('purgeFailed')).toEqual([false, false]);
      expect(await stored('purged')).toEqual([false, false]);
      expect(await stored('recent')).toEqual([true, true]);
      expect(await stored('live')).toEqual([true, true]);
      expect(await t.app.get(OrphanedObjects).purge()).toEqual({ checked: 3, deleted: 0 });
    });
  });
});
