import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DateTime } from 'luxon';
import { QueueName } from '../libs/core/src';
import { AnalyticsCron, ScheduleRunner } from '../libs/scheduler/src';
import { computeNextRun } from '../libs/scheduler/src/schedules/next-run';
import { startGraphFake, type GraphFake } from './fakes/graph.fake';
import { startMastodonFake, type MastodonFake } from './fakes/mastodon.fake';
import { awaitPublishJob, createAccount, createImage, createPost, getPost } from './scheduler-helpers';
import { awaitJob } from './support/images';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/** Recurring schedules turn into ordinary posts; analytics read platform metrics back. */
describe('scheduler: recurring schedules and analytics', () => {
  let t: TestApp;
  let graph: GraphFake;
  let mastodon: MastodonFake;
  let user: TestUser;
  let mastodonAccount: { id: string };

  beforeAll(async () => {
    [graph, mastodon] = await Promise.all([startGraphFake(), startMastodonFake()]);
    t = await startTestApp({
      GRAPH_API_URL: `${graph.url}/v21.0`,
      FEATURES: 'images,scheduler',
      // The Mastodon fake is on loopback.
      ALLOW_PRIVATE_WEBHOOKS: 'true',
    });
    user = await createUser(t);
    mastodonAccount = await createAccount(t, user, {
      platform: 'mastodon',
      accessToken: 'm',
      instanceUrl: mastodon.url,
    });
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([graph, mastodon].map((fake) => fake?.close()));
  });

  const makeDue = (scheduleId: string) =>
    t.db.query(`UPDATE schedules SET next_run_at = now() - interval '1 minute' WHERE id = $1`, [scheduleId]);

  describe('schedules API', () => {
    it('rejects an incomplete rule naming each field', async () => {
      const res = await t.http.post('/api/v1/schedules').set(user.auth).send({
        name: 'Bad',
        socialAccountId: mastodonAccount.id,
        frequency: 'weekly',
        timeOfDay: '25:00',
        daysOfWeek: [],
        timeZone: 'Mars/Olympus',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'daysOfWeek',
        'timeOfDay',
        'timeZone',
      ]);
    });

    it('computes nextRunAt in the schedule time zone, and pause/resume toggle it', async () => {
      const created = await t.http
        .post('/api/v1/schedules')
        .set(user.auth)
        .send({
          name: 'Mornings',
          socialAccountId: mastodonAccount.id,
          frequency: 'daily',
          timeOfDay: '09:00',
          timeZone: 'Europe/Paris',
        })
        .expect(201);
      const next = DateTime.fromISO(created.body.nextRunAt, { zone: 'Europe/Paris' });
      expect(next.toFormat('HH:mm')).toBe('09:00');
      expect(next.toMillis()).toBeGreaterThan(Date.now());
      expect(next.toMillis() - Date.now()).toBeLessThanOrEqual(86_400_000);

      const paused = await t.http
        .post(`/api/v1/schedules/${created.body.id}/pause`)
        .set(user.auth)
        .expect(200);
      expect(paused.body).toMatchObject({ active: false, nextRunAt: null });
      const resumed = await t.http
        .post(`/api/v1/schedules/${created.body.id}/resume`)
        .set(user.auth)
        .expect(200);
      expect(resumed.body.active).toBe(true);
      expect(resumed.body.nextRunAt).toBe(created.body.nextRunAt);

      const weekly = await t.http
        .patch(`/api/v1/schedules/${created.body.id}`)
        .set(user.auth)
        .send({ frequency: 'weekly', daysOfWeek: [1], timeOfDay: '18:30' })
        .expect(200);
      const expected = computeNextRun(
        { frequency: 'weekly', daysOfWeek: [1], timeOfDay: '18:30', timeZone: 'Europe/Paris' },
        new Date(),
      );
      expect(new Date(weekly.body.nextRunAt).getTime()).toBe(expected.getTime());

      const other = await createUser(t);
      await t.http.get(`/api/v1/schedules/${created.body.id}`).set(other.auth).expect(404);
      await t.http.delete(`/api/v1/schedules/${created.body.id}`).set(user.auth).expect(204);
    });
  });

  describe('runs', () => {
    it('posts the oldest validated, safe image of the tag not yet posted, then records a skipped run', async () => {
      const first = await createImage(t, user, { title: 'First light', tags: ['series'] });
      await createImage(t, user, { title: 'Not validated', tags: ['series'], status: 'generated' });
      await createImage(t, user, { title: 'Flagged', tags: ['series'], moderation: 'flagged' });
      await createImage(t, user, { title: 'Other tag', tags: ['elsewhere'] });
      const second = await createImage(t, user, { title: 'Second light', tags: ['Series'] });

      const schedule = await t.http
        .post('/api/v1/schedules')
        .set(user.auth)
        .send({
          name: 'Series',
          socialAccountId: mastodonAccount.id,
          frequency: 'daily',
          timeOfDay: '08:00',
          timeZone: 'UTC',
          tag: 'series',
          captionTemplate: '{title} ({date})',
          hashtags: ['daily'],
        })
        .expect(201);
      const runner = t.app.get(ScheduleRunner);

      await makeDue(schedule.body.id);
      // Two workers ticking at once still make one run.
      const [a, b] = await Promise.all([runner.runDueSchedules(), runner.runDueSchedules()]);
      const runs = [...a, ...b].filter((r) => r.scheduleId === schedule.body.id);
      expect(runs).toHaveLength(1);
      expect(runs[0].status).toBe('posted');
      await awaitPublishJob(t, runs[0].postId!);
      const post = await getPost(t, user, runs[0].postId!);
      const today = new Date().toISOString().slice(0, 10);
      expect(post).toMatchObject({
        imageId: first,
        status: 'published',
        scheduleId: schedule.body.id,
        hashtags: ['daily'],
      });
      expect(post.caption).toBe(`First light (${today})`);
      expect(mastodon.statuses.at(-1)!.text).toBe(`First light (${today})\n\n#daily`);

      await makeDue(schedule.body.id);
      const [secondRun] = await runner.runDueSchedules();
      expect((await getPost(t, user, secondRun.postId!)).imageId).toBe(second);

      await makeDue(schedule.body.id);
      const [skipped] = await runner.runDueSchedules();
      expect(skipped).toMatchObject({ status: 'skipped', postId: null });

      const listed = await t.http
        .get(`/api/v1/schedules/${schedule.body.id}/runs`)
        .set(user.auth)
        .expect(200);
      expect(listed.body.items.map((r: { status: string }) => r.status)).toEqual([
        'skipped',
        'posted',
        'posted',
      ]);
      const stored = await t.http.get(`/api/v1/schedules/${schedule.body.id}`).set(user.auth).expect(200);
      expect(new Date(stored.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
      expect(stored.body.lastRunAt).not.toBeNull();
    });

    it('a paused schedule does not run', async () => {
      const schedule = await t.http
        .post('/api/v1/schedules')
        .set(user.auth)
        .send({
          name: 'Paused',
          socialAccountId: mastodonAccount.id,
          frequency: 'cron',
          cron: '*/5 * * * *',
          timeZone: 'UTC',
        })
        .expect(201);
      await makeDue(schedule.body.id);
      await t.http.post(`/api/v1/schedules/${schedule.body.id}/pause`).set(user.auth).expect(200);
      const runs = await t.app.get(ScheduleRunner).runDueSchedules();
      expect(runs.filter((r) => r.scheduleId === schedule.body.id)).toEqual([]);
    });
  });

  describe('analytics', () => {
    it('syncs Mastodon counts on demand and through the analytics queue', async () => {
      const imageId = await createImage(t, user);
      const post = await createPost(t, user, {
        imageId,
        socialAccountId: mastodonAccount.id,
        caption: 'measured',
      });
      await awaitPublishJob(t, post.id);
      const { externalId } = await getPost(t, user, post.id);

      const empty = await t.http.get(`/api/v1/posts/${post.id}/analytics`).set(user.auth).expect(200);
      expect(empty.body).toMatchObject({ likes: null, fetchedAt: null });

      mastodon.setCounts(String(externalId), { favourites_count: 7, reblogs_count: 2, replies_count: 3 });
      const synced = await t.http.post(`/api/v1/posts/${post.id}/analytics/sync`).set(user.auth).expect(200);
      expect(synced.body).toMatchObject({ likes: 7, shares: 2, comments: 3, impressions: null });
      expect(synced.body.fetchedAt).not.toBeNull();

      mastodon.setCounts(String(externalId), { favourites_count: 9 });
      await t.db.query(
        `UPDATE post_analytics SET fetched_at = now() - interval '2 hours' WHERE post_id = $1`,
        [post.id],
      );
      const enqueued = await t.app.get(AnalyticsCron).enqueueStaleAnalytics();
      expect(enqueued).toContain(post.id);
      const queue = t.app.get<Queue>(getQueueToken(QueueName.Analytics));
      const hour = new Date().toISOString().slice(0, 13);
      await awaitJob(queue, `analytics:${post.id}:${hour}`, 15_000);
      const latest = await t.http.get(`/api/v1/posts/${post.id}/analytics`).set(user.auth).expect(200);
      expect(latest.body.likes).toBe(9);
    });

    it('reads Instagram insights; Facebook answers analytics_unsupported', async () => {
      const ig = await createAccount(t, user, {
        platform: 'instagram',
        accessToken: 'ig',
        externalId: '178',
        displayName: 'IG',
      });
      const fb = await createAccount(t, user, {
        platform: 'facebook',
        accessToken: 'fb',
        externalId: '99',
        displayName: 'FB',
      });
      const imageId = await createImage(t, user);
      const igPost = await createPost(t, user, { imageId, socialAccountId: ig.id, caption: 'insightful' });
      const fbPost = await createPost(t, user, { imageId, socialAccountId: fb.id, caption: 'no insights' });
      await awaitPublishJob(t, igPost.id);
      await awaitPublishJob(t, fbPost.id);

      const { externalId } = await getPost(t, user, igPost.id);
      graph.setInsights(String(externalId), { likes: 4, comments: 1, shares: 2, impressions: 50, reach: 40 });
      const synced = await t.http
        .post(`/api/v1/posts/${igPost.id}/analytics/sync`)
        .set(user.auth)
        .expect(200);
      expect(synced.body).toMatchObject({ likes: 4, comments: 1, shares: 2, impressions: 50, reach: 40 });

      const unsupported = await t.http.post(`/api/v1/posts/${fbPost.id}/analytics/sync`).set(user.auth);
      expect(unsupported.status).toBe(409);
      expect(unsupported.body.code).toBe('analytics_unsupported');
    });
  });
});
