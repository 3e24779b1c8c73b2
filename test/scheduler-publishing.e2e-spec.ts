import { PostPublishingService } from '../libs/scheduler/src/publishing/post-publishing.service';
import { startGraphFake, type GraphFake } from './fakes/graph.fake';
import { startMastodonFake, type MastodonFake } from './fakes/mastodon.fake';
import { startWebhookReceiverFake, type WebhookReceiverFake } from './fakes/webhook-receiver.fake';
import { startXFake, type XFake } from './fakes/x.fake';
import { waitForEvent } from './fakes/wait-for';
import { PublishingCron, publishJobId, STUCK_AFTER_MINUTES, StuckPostsSweeper } from '../libs/scheduler/src';
import { PUBLISH_POST_JOB } from '../libs/scheduler/src/publishing/publish-queue';
import {
  awaitPublishJob,
  awaitPublishJobIfAny,
  createAccount,
  createImage,
  createPost,
  getPost,
  publishDue,
  publishingQueue,
} from './scheduler-helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

const LATENESS_MINUTES = 5;
const IN_AN_HOUR = () => new Date(Date.now() + 3_600_000).toISOString();

/** Publishing never double-posts and never silently drops a post. */
describe('scheduler: publishing reliability', () => {
  let t: TestApp;
  let graph: GraphFake;
  let x: XFake;
  let mastodon: MastodonFake;
  let hooks: WebhookReceiverFake;
  let user: TestUser;
  let xAccount: { id: string };
  let caption = 0;

  beforeAll(async () => {
    [graph, x, mastodon, hooks] = await Promise.all([
      startGraphFake(),
      startXFake(),
      startMastodonFake(),
      startWebhookReceiverFake({
        secret: `whsec_${Buffer.from('placeholder-secret-0123456789').toString('base64')}`,
      }),
    ]);
    t = await startTestApp({
      GRAPH_API_URL: `${graph.url}/v21.0`,
      X_API_URL: x.url,
      ALLOW_PRIVATE_WEBHOOKS: 'true',
      SCHEDULER_MAX_LATENESS_MINUTES: String(LATENESS_MINUTES),
      FEATURES: 'images,scheduler',
    });
    user = await createUser(t);
    xAccount = await createAccount(t, user, { platform: 'x', accessToken: 'x-token' });
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([graph, x, mastodon, hooks].map((fake) => fake?.close()));
  });

  /** X refuses duplicate text, so every post gets its own caption. */
  const uniqueCaption = () => `Caption number ${++caption}`;
  const tweetRequests = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');

  async function futurePost(accountId = xAccount.id) {
    const imageId = await createImage(t, user);
    return createPost(t, user, {
      imageId,
      socialAccountId: accountId,
      caption: uniqueCaption(),
      scheduledAt: IN_AN_HOUR(),
    });
  }

  async function makeDue(postId: string, minutesAgo: number) {
    await t.db.query(`UPDATE posts SET scheduled_at = now() - make_interval(mins => $2) WHERE id = $1`, [
      postId,
      minutesAgo,
    ]);
  }

  it('publish-now racing two cron ticks and a second worker publishes exactly once', async () => {
    const post = await futurePost();
    await makeDue(post.id, 1);
    const tweetsBefore = x.tweets.length;
    const release = x.hold();
    const held = waitForEvent(x, 'held');

    const racers = Promise.all([
      t.http.post(`/api/v1/posts/${post.id}/publish-now`).set(user.auth),
      t.app.get(PublishingCron).publishDuePosts(),
      t.app.get(PublishingCron).publishDuePosts(),
      // Another worker process: same database, its own claim token.
      t.app.get(PostPublishingService).run({
        postId: post.id,
        claimToken: 'second-worker',
        lastAttempt: false,
        signal: new AbortController().signal,
      }),
    ]);
    await held;
    release();
    const [publishNow, , , secondWorker] = await racers;
    expect([202, 409]).toContain(publishNow.status);
    // The cron ticks have sent theirs by now; publish-now's job (if it got one) may still be running.
    if (secondWorker !== 'published') await awaitPublishJobIfAny(t, post.id);

    expect(x.tweets.length - tweetsBefore).toBe(1);
    const stored = await getPost(t, user, post.id);
    expect(stored).toMatchObject({ status: 'published', attempts: 1, externalId: x.tweets.at(-1)!.id });
    // Later ticks find nothing left to do.
    expect(await t.app.get(PublishingCron).publishDuePosts()).not.toContain(post.id);
  });

  it('many due posts, claimed by two workers at once, are each delivered exactly once', async () => {
    const account = await createAccount(t, user, { platform: 'webhook', webhookUrl: hooks.hookUrl });
    hooks.setSecret(account.webhookSecret!);
    const imageId = await createImage(t, user);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const post = await createPost(t, user, {
        imageId,
        socialAccountId: account.id,
        caption: `Batch ${i}`,
        scheduledAt: IN_AN_HOUR(),
      });
      ids.push(post.id);
    }
    await t.db.query(`UPDATE posts SET scheduled_at = now() - interval '1 minute' WHERE id = ANY($1)`, [ids]);

    const cron = t.app.get(PublishingCron);
    const [first, second] = await Promise.all([cron.publishDuePosts(), cron.publishDuePosts()]);

    // Every post was claimed by one of them, none by both, and sent once.
    expect([...first, ...second].filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    const delivered = hooks.deliveries.filter((d) => ids.includes(d.webhookId!));
    expect(delivered.map((d) => d.webhookId).sort()).toEqual([...ids].sort());
    expect(delivered.every((d) => d.verified && d.status === 200)).toBe(true);
    const rows: { status: string; attempts: number }[] = await t.db.query(
      'SELECT status, attempts FROM posts WHERE id = ANY($1)',
      [ids],
    );
    expect(rows.filter((row) => row.status === 'published' && row.attempts === 1)).toHaveLength(ids.length);
  });

  it('a due post whose first attempt fails goes on as a job with the same claim, after the backoff', async () => {
    const account = await createAccount(t, user, { platform: 'webhook', webhookUrl: hooks.hookUrl });
    hooks.setSecret(account.webhookSecret!);
    const post = await futurePost(account.id);
    await makeDue(post.id, 1);
    hooks.respondNext(503);

    await publishDue(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published', attempts: 2 });
    const delivered = hooks.deliveries.filter((d) => d.webhookId === post.id);
    expect(delivered.map((d) => d.status)).toEqual([503, 200]);
    // publishBackoff's first step (2 s) lies between them.
    expect(delivered[1].receivedAt.getTime() - delivered[0].receivedAt.getTime()).toBeGreaterThanOrEqual(
      1900,
    );
  });

  it('publishes a post that fell due while the worker was down, when the worker returns', async () => {
    const post = await futurePost();
    await makeDue(post.id, LATENESS_MINUTES - 2);
    await publishDue(t, post.id);
    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published' });
  });

  it('fails a post older than SCHEDULER_MAX_LATENESS_MINUTES with code missed, without posting it', async () => {
    const post = await futurePost();
    await makeDue(post.id, LATENESS_MINUTES + 1);
    const requestsBefore = tweetRequests().length;
    const enqueued = await t.app.get(PublishingCron).publishDuePosts();

    expect(enqueued).not.toContain(post.id);
    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'failed', errorCode: 'missed' });
    expect(tweetRequests().length).toBe(requestsBefore);
    // The user may still decide to publish it now.
    const retried = await t.http.post(`/api/v1/posts/${post.id}/retry`).set(user.auth);
    expect(retried.status).toBe(202);
    await awaitPublishJob(t, post.id);
    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published', errorCode: null });
  });

  it('an expired token fails the post with token_expired and marks the account expired', async () => {
    const account = await createAccount(t, user, {
      platform: 'instagram',
      accessToken: 'soon-expired',
      externalId: '17841400000000002',
      displayName: 'Expiring',
    });
    graph.expireToken('soon-expired');
    const imageId = await createImage(t, user);
    const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption: 'never' });
    await awaitPublishJob(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({
      status: 'failed',
      errorCode: 'token_expired',
      attempts: 1,
    });
    const stored = await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth);
    expect(stored.body.status).toBe('expired');
    expect(graph.published).toHaveLength(0);
    const refused = await t.http
      .post('/api/v1/posts')
      .set(user.auth)
      .send({ imageId, socialAccountId: account.id, caption: 'again' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('social_account_not_active');
  });

  it('retries a 429 after the reset time X gave, then publishes once', async () => {
    x.failNext('rate_limit', { path: '/2/tweets', resetAt: Math.floor(Date.now() / 1000) + 1 });
    const imageId = await createImage(t, user);
    const text = uniqueCaption();
    const post = await createPost(t, user, { imageId, socialAccountId: xAccount.id, caption: text });
    await awaitPublishJob(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published', attempts: 2 });
    expect(x.tweets.filter((tweet) => tweet.text === text)).toHaveLength(1);
  });

  it('an answer lost after the tweet was sent is reconciled by lookup, not re-sent', async () => {
    x.hangNextTweet({ create: true });
    const imageId = await createImage(t, user);
    const text = uniqueCaption();
    const requestsBefore = tweetRequests().length;
    const post = await createPost(t, user, { imageId, socialAccountId: xAccount.id, caption: text });
    await awaitPublishJob(t, post.id);

    const created = x.tweets.filter((tweet) => tweet.text === text);
    expect(created).toHaveLength(1);
    expect(tweetRequests().length - requestsBefore).toBe(1);
    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published', externalId: created[0].id });
  });

  it('an unknown outcome that lookup cannot confirm fails with outcome_unknown and is not retried', async () => {
    x.hangNextTweet({ create: false });
    const imageId = await createImage(t, user);
    const requestsBefore = tweetRequests().length;
    const post = await createPost(t, user, {
      imageId,
      socialAccountId: xAccount.id,
      caption: uniqueCaption(),
    });
    await awaitPublishJob(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({
      status: 'failed',
      errorCode: 'outcome_unknown',
      attempts: 1,
    });
    expect(tweetRequests().length - requestsBefore).toBe(1);
  });

  it('a webhook whose connection drops after delivery fails with outcome_unknown after one delivery', async () => {
    const account = await createAccount(t, user, { platform: 'webhook', webhookUrl: hooks.hookUrl });
    hooks.setSecret(account.webhookSecret!);
    hooks.dropNext();
    const imageId = await createImage(t, user);
    const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption: 'dropped' });
    await awaitPublishJob(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'failed', errorCode: 'outcome_unknown' });
    expect(hooks.deliveries.filter((d) => d.webhookId === post.id)).toHaveLength(1);
  });

  it('Mastodon dedupes by Idempotency-Key, so a lost answer is retried safely into one status', async () => {
    const account = await createAccount(t, user, {
      platform: 'mastodon',
      accessToken: 'm',
      instanceUrl: mastodon.url,
    });
    mastodon.hangNextStatus();
    const imageId = await createImage(t, user);
    const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption: 'once only' });
    await awaitPublishJob(t, post.id);

    const statusRequests = mastodon.requests.filter(
      (r) => r.method === 'POST' && r.path === '/api/v1/statuses',
    );
    expect(statusRequests).toHaveLength(2);
    expect(mastodon.statuses).toHaveLength(1);
    expect(await getPost(t, user, post.id)).toMatchObject({
      status: 'published',
      attempts: 2,
      externalId: mastodon.statuses[0].id,
    });
  });

  it('re-checks moderation at publish time', async () => {
    const post = await futurePost();
    const { imageId } = await getPost(t, user, post.id);
    await t.db.query(`UPDATE images SET moderation_state = 'flagged' WHERE id = $1`, [imageId]);
    const requestsBefore = x.requests.length;
    await t.http.post(`/api/v1/posts/${post.id}/publish-now`).set(user.auth).expect(202);
    await awaitPublishJob(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({
      status: 'failed',
      errorCode: 'moderation_blocked',
    });
    expect(x.requests.length).toBe(requestsBefore);
  });

  describe('posts stuck in publishing whose job was lost', () => {
    const sweep = () => t.app.get(StuckPostsSweeper).sweep();

    /** What a delivery leaves behind in the row, `minutesAgo` before now, with no Bull job. */
    async function stick(
      postId: string,
      state: { claimToken: string | null; attempts: number; awaitingRetry: boolean; minutesAgo: number },
    ) {
      await t.db.query(
        `UPDATE posts SET status = 'publishing', claim_token = $2, attempts = $3, awaiting_retry = $4,
                publish_started_at = now() - make_interval(mins => $5)
          WHERE id = $1`,
        [postId, state.claimToken, state.attempts, state.awaitingRetry, state.minutesAgo],
      );
      expect(await publishingQueue(t).getJob(publishJobId(postId))).toBeNull();
    }
    const stale = STUCK_AFTER_MINUTES + 5;

    it('fails a post interrupted mid-attempt with outcome_unknown, without sending it again', async () => {
      const post = await futurePost();
      await stick(post.id, {
        claimToken: `${publishJobId(post.id)}@1700000000000`,
        attempts: 1,
        awaitingRetry: false,
        minutesAgo: stale,
      });
      const requestsBefore = tweetRequests().length;

      const result = await sweep();
      expect(result.failed).toContain(post.id);
      expect(result.requeued).not.toContain(post.id);
      expect(await getPost(t, user, post.id)).toMatchObject({
        status: 'failed',
        errorCode: 'outcome_unknown',
        attempts: 1,
      });
      // Not re-sent, not swept twice, and the user can still decide to retry.
      expect(await t.app.get(PublishingCron).publishDuePosts()).not.toContain(post.id);
      expect(tweetRequests().length).toBe(requestsBefore);
      expect((await sweep()).failed).not.toContain(post.id);
      await t.http.post(`/api/v1/posts/${post.id}/retry`).set(user.auth).expect(202);
      await awaitPublishJob(t, post.id);
      expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published' });
    });

    it('schedules again a post that never reached the platform (unclaimed, or released for a retry)', async () => {
      const [unclaimed, released] = [await futurePost(), await futurePost()];
      await stick(unclaimed.id, { claimToken: null, attempts: 0, awaitingRetry: false, minutesAgo: stale });
      await stick(released.id, {
        claimToken: `${publishJobId(released.id)}@1700000000000`,
        attempts: 1,
        awaitingRetry: true,
        minutesAgo: stale,
      });

      const result = await sweep();
      expect(result.requeued).toEqual(expect.arrayContaining([unclaimed.id, released.id]));
      expect(result.failed).not.toContain(unclaimed.id);
      expect(result.failed).not.toContain(released.id);
      for (const post of [unclaimed, released]) {
        expect(await getPost(t, user, post.id)).toMatchObject({ status: 'scheduled', errorCode: null });
      }

      // Back in the normal flow: published once each when due.
      const tweetsBefore = x.tweets.length;
      for (const post of [unclaimed, released]) {
        await makeDue(post.id, 1);
        await publishDue(t, post.id);
        expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published' });
      }
      expect(x.tweets.length - tweetsBefore).toBe(2);
    });

    it('leaves alone a post publishing for a short while, or whose job still exists', async () => {
      const [recent, withJob] = [await futurePost(), await futurePost()];
      const claimed = (postId: string) => `${publishJobId(postId)}@1700000000000`;
      await stick(recent.id, {
        claimToken: claimed(recent.id),
        attempts: 1,
        awaitingRetry: false,
        minutesAgo: 2,
      });
      await stick(withJob.id, {
        claimToken: claimed(withJob.id),
        attempts: 1,
        awaitingRetry: true,
        minutesAgo: stale,
      });
      // A retry waiting out its backoff: the job will settle the post itself.
      const job = await publishingQueue(t).add(
        PUBLISH_POST_JOB,
        { postId: withJob.id },
        { jobId: publishJobId(withJob.id), delay: 3_600_000 },
      );
      try {
        const result = await sweep();
        for (const post of [recent, withJob]) {
          expect([...result.requeued, ...result.failed]).not.toContain(post.id);
          expect(await getPost(t, user, post.id)).toMatchObject({ status: 'publishing' });
        }
      } finally {
        await job.remove();
        await t.db.query(`UPDATE posts SET status = 'cancelled' WHERE id = ANY($1)`, [
          [recent.id, withJob.id],
        ]);
      }
    });
  });
});
