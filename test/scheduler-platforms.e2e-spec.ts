import { Webhook } from 'standardwebhooks';
import { startGraphFake, type GraphFake } from './fakes/graph.fake';
import { startLinkedInFake, type LinkedInFake } from './fakes/linkedin.fake';
import { startMastodonFake, type MastodonFake } from './fakes/mastodon.fake';
import { startWebhookReceiverFake, type WebhookReceiverFake } from './fakes/webhook-receiver.fake';
import { startXFake, type XFake } from './fakes/x.fake';
import { awaitPublishJob, createAccount, createImage, createPost, getPost } from './scheduler-helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/** Each platform end to end: account → post → publishing job → the fake holds exactly one post. */
describe('scheduler: publishing to each platform', () => {
  let t: TestApp;
  let graph: GraphFake;
  let x: XFake;
  let mastodon: MastodonFake;
  let linkedin: LinkedInFake;
  let hooks: WebhookReceiverFake;
  let user: TestUser;

  beforeAll(async () => {
    [graph, x, mastodon, linkedin, hooks] = await Promise.all([
      startGraphFake({ inProgressPolls: 2 }),
      startXFake(),
      startMastodonFake({ processingPolls: 1 }),
      startLinkedInFake(),
      startWebhookReceiverFake({
        secret: `whsec_${Buffer.from('placeholder-secret-0123456789').toString('base64')}`,
      }),
    ]);
    t = await startTestApp({
      GRAPH_API_URL: `${graph.url}/v21.0`,
      X_API_URL: x.url,
      LINKEDIN_API_URL: linkedin.url,
      ALLOW_PRIVATE_WEBHOOKS: 'true',
      FEATURES: 'images,scheduler',
    });
    user = await createUser(t);
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([graph, x, mastodon, linkedin, hooks].map((fake) => fake?.close()));
  });

  async function publishNowTo(account: { id: string }, caption: string, hashtags: string[] = []) {
    const imageId = await createImage(t, user, { title: 'Harbour at dawn' });
    const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption, hashtags });
    await awaitPublishJob(t, post.id);
    return { post: await getPost(t, user, post.id), imageId };
  }

  it('Instagram: creates a container, waits until FINISHED, publishes it and keeps the permalink', async () => {
    const account = await createAccount(t, user, {
      platform: 'instagram',
      accessToken: 'ig-token',
      externalId: '17841400000000001',
      displayName: 'Studio IG',
    });
    const { post } = await publishNowTo(account, 'Morning light', ['harbour', '#dawn']);

    expect(post).toMatchObject({ status: 'published', errorCode: null, attempts: 1 });
    expect(graph.published).toHaveLength(1);
    const [published] = graph.published;
    expect(published).toMatchObject({ platform: 'instagram', ownerId: '17841400000000001' });
    expect(published.caption).toBe('Morning light\n\n#harbour #dawn');
    expect(published.imageUrl).toMatch(/^https?:\/\//);
    expect(post.externalId).toBe(published.id);
    expect(post.externalUrl).toBe(published.permalink);
    // The container was polled until it finished (2 IN_PROGRESS answers, then FINISHED).
    expect(graph.containers.get(published.containerId!)!.polls).toBeGreaterThanOrEqual(3);
    // Tokens travel to the platform, never back to the client.
    const listed = await t.http.get('/api/v1/social-accounts').set(user.auth);
    expect(JSON.stringify(listed.body)).not.toContain('ig-token');
  });

  it('Facebook: posts a page photo by URL', async () => {
    const account = await createAccount(t, user, {
      platform: 'facebook',
      accessToken: 'fb-page-token',
      externalId: '101010',
      displayName: 'Studio page',
    });
    const before = graph.published.length;
    const { post } = await publishNowTo(account, 'Page caption');

    expect(post.status).toBe('published');
    const published = graph.published.slice(before);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ platform: 'facebook', ownerId: '101010', caption: 'Page caption' });
    expect(post.externalId).toBe(published[0].postId);
    expect(post.externalUrl).toBe(published[0].permalink);
  });

  it('X: reads the user id from /2/users/me, uploads the media and tweets it', async () => {
    const account = await createAccount(t, user, { platform: 'x', accessToken: 'x-token' });
    expect(account.externalId).toBe('2244994945');
    const { post } = await publishNowTo(account, 'A tweet with a picture', ['art']);

    expect(post.status).toBe('published');
    expect(x.tweets).toHaveLength(1);
    expect(x.tweets[0].text).toBe('A tweet with a picture\n\n#art');
    expect(x.tweets[0].mediaIds).toEqual([x.media[0].id]);
    expect(x.media[0]).toMatchObject({ category: 'tweet_image', type: 'image/png' });
    expect(post.externalId).toBe(x.tweets[0].id);
  });

  it('Mastodon: uploads media, waits for processing, posts with Idempotency-Key = post id', async () => {
    const account = await createAccount(t, user, {
      platform: 'mastodon',
      accessToken: 'masto-token',
      instanceUrl: mastodon.url,
    });
    const { post, imageId } = await publishNowTo(account, 'Toot toot');

    expect(post.status).toBe('published');
    expect(mastodon.statuses).toHaveLength(1);
    const [status] = mastodon.statuses;
    expect(status).toMatchObject({ text: 'Toot toot', visibility: 'public', idempotencyKey: post.id });
    expect(mastodon.media.get(status.mediaIds[0])?.description).toBe('Harbour at dawn');
    expect(post.externalUrl).toBe(`${mastodon.url}/@atelier/${status.id}`);
    expect(imageId).toBeTruthy();
  });

  it('LinkedIn: initializes an upload, PUTs the bytes and creates the post', async () => {
    const account = await createAccount(t, user, { platform: 'linkedin', accessToken: 'li-token' });
    expect(account.externalId).toBe('urn:li:person:abc123');
    const { post } = await publishNowTo(account, 'Professional update');

    expect(post.status).toBe('published');
    expect(linkedin.posts).toHaveLength(1);
    const [created] = linkedin.posts;
    expect(created).toMatchObject({ author: 'urn:li:person:abc123', commentary: 'Professional update' });
    expect(linkedin.images.get(created.mediaId!)?.uploaded?.size).toBeGreaterThan(0);
    expect(post.externalId).toBe(created.urn);
  });

  it('Webhook: delivers JSON signed per Standard Webhooks with the secret shown once', async () => {
    const account = await createAccount(t, user, { platform: 'webhook', webhookUrl: hooks.hookUrl });
    expect(account.webhookSecret).toMatch(/^whsec_/);
    hooks.setSecret(account.webhookSecret!);
    const again = await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth);
    expect(JSON.stringify(again.body)).not.toContain(account.webhookSecret!.slice(6));

    const { post, imageId } = await publishNowTo(account, 'To my own site', ['hook']);

    expect(post.status).toBe('published');
    expect(hooks.deliveries).toHaveLength(1);
    const [delivery] = hooks.deliveries;
    expect(delivery.verified).toBe(true);
    expect(delivery.webhookId).toBe(post.id);
    const payload = new Webhook(account.webhookSecret!).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as { type: string; post: { id: string; text: string }; image: { id: string; url: string } };
    expect(payload.type).toBe('post.published');
    expect(payload.post).toMatchObject({ id: post.id, text: 'To my own site\n\n#hook' });
    expect(payload.image.id).toBe(imageId);
    expect(post.externalId).toBe('hook_1');
    expect(post.externalUrl).toBe(`${hooks.url}/posts/hook_1`);
  });

  it('reports stats by status, platform and day', async () => {
    const stats = await t.http.get('/api/v1/posts/stats').set(user.auth).expect(200);
    expect(stats.body.byStatus).toMatchObject({ published: 6, failed: 0, scheduled: 0 });
    expect(Object.keys(stats.body.byPlatform).sort()).toEqual(
      ['facebook', 'instagram', 'linkedin', 'mastodon', 'webhook', 'x'].sort(),
    );
    expect(stats.body.byPlatform.x).toEqual({ total: 1, published: 1, failed: 0 });
    expect(stats.body.perDay).toEqual([
      { date: new Date().toISOString().slice(0, 10), published: 6, failed: 0 },
    ]);
    expect(stats.body.successRate).toBe(1);
  });
});
