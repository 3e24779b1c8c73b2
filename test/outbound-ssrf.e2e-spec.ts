import { startInternalService, InternalServiceFake, RedirectorFake } from './fakes/internal-service.fake';
import { awaitPublishJob, createAccount, createImage, createPost, getPost } from './scheduler-helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/**
 * Every URL a user can set (Mastodon instance, webhook) goes through one guarded client. A loopback
 * "internal service" stands for the server's private network: whatever the user does through the
 * API, it must receive nothing and nothing it says may reach the user.
 */
describe('outbound requests to user-supplied URLs', () => {
  let internal: InternalServiceFake;
  let redirector: RedirectorFake;

  beforeAll(async () => {
    ({ internal, redirector } = await startInternalService());
  });

  afterAll(async () => {
    await Promise.all([internal?.close(), redirector?.close()]);
  });

  describe('with private addresses refused (the default)', () => {
    let t: TestApp;
    let user: TestUser;

    beforeAll(async () => {
      t = await startTestApp({ FEATURES: 'images,processing,scheduler' });
      user = await createUser(t);
    });

    afterAll(() => t?.close());

    /** Named and identified up front, so creating it calls no instance. */
    const publicMastodonAccount = () =>
      createAccount(t, user, {
        platform: 'mastodon',
        accessToken: 'm',
        instanceUrl: 'https://93.184.215.14',
        externalId: '1',
        displayName: '@me',
      });

    it.each([
      ['the internal service', () => internal.url],
      ['a path with a query', () => `${internal.url}/admin?x=`],
      ['a host name resolving to loopback', () => internal.url.replace('127.0.0.1', 'localhost')],
      ['a decimal-encoded loopback', () => internal.url.replace('127.0.0.1', '2130706433')],
    ])('refuses a Mastodon instanceUrl pointing at %s', async (_, url) => {
      const res = await t.http
        .post('/api/v1/social-accounts')
        .set(user.auth)
        .send({ platform: 'mastodon', accessToken: 'm', instanceUrl: url() });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'instanceUrl' })]);
      // What a host name resolves to is never told: it would map the internal network.
      if (!url().includes('127.0.0.1')) expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
      expect(internal.requests).toHaveLength(0);
    });

    it('refuses changing an instanceUrl to an internal address', async () => {
      const account = await publicMastodonAccount();
      const res = await t.http
        .patch(`/api/v1/social-accounts/${account.id}`)
        .set(user.auth)
        .send({ instanceUrl: internal.url });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'instanceUrl' })]);
      expect(internal.requests).toHaveLength(0);
    });

    it('never calls an internal address stored before the guard (verify and publish)', async () => {
      const account = await publicMastodonAccount();
      // A row written before the guard existed, or a host whose DNS now points inside.
      await t.db.query('UPDATE social_accounts SET instance_url = $2 WHERE id = $1', [
        account.id,
        `${internal.url}/?x=`,
      ]);

      const verify = await t.http.post(`/api/v1/social-accounts/${account.id}/verify`).set(user.auth);
      expect(verify.status).toBeGreaterThanOrEqual(400);
      expect(verify.status).toBeLessThan(600);
      expect(JSON.stringify(verify.body)).not.toContain(InternalServiceFake.SECRET);

      const imageId = await createImage(t, user);
      const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption: 'hi' });
      await awaitPublishJob(t, post.id);
      const failed = await getPost(t, user, post.id);
      expect(failed.status).toBe('failed');
      expect(JSON.stringify(failed)).not.toContain(InternalServiceFake.SECRET);
      expect(internal.requests).toHaveLength(0);
    });

    it('refuses a webhook URL pointing at the internal service', async () => {
      const res = await t.http
        .post('/api/v1/social-accounts')
        .set(user.auth)
        .send({ platform: 'webhook', webhookUrl: `${internal.url}/hook` });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'webhookUrl' })]);
      expect(internal.requests).toHaveLength(0);
    });

    it('refuses a job webhookUrl pointing at the internal service, before taking quota', async () => {
      const res = await t.http
        .post('/api/v1/jobs')
        .set(user.auth)
        .send({ type: 'generate', prompt: 'x', webhookUrl: `${internal.url}/hook` });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'webhookUrl' })]);
      const jobs: unknown[] = await t.db.query('SELECT id FROM jobs WHERE owner_id = $1', [user.id]);
      expect(jobs).toHaveLength(0);
      expect(internal.requests).toHaveLength(0);
    });
  });

  // Even where private addresses are allowed (local setups), a redirect is an answer, not a hop:
  // the guard judged the first host only, so following a redirect would bypass it.
  describe('redirects', () => {
    let t: TestApp;
    let user: TestUser;

    beforeAll(async () => {
      t = await startTestApp({ FEATURES: 'images,processing,scheduler', ALLOW_PRIVATE_WEBHOOKS: 'true' });
      user = await createUser(t);
    });

    afterAll(() => t?.close());

    it('does not follow a Mastodon instance redirecting to the internal service', async () => {
      const res = await t.http
        .post('/api/v1/social-accounts')
        .set(user.auth)
        .send({ platform: 'mastodon', accessToken: 'm', instanceUrl: redirector.url });
      expect(res.status).toBe(502);
      expect(JSON.stringify(res.body)).not.toContain(InternalServiceFake.SECRET);
      expect(redirector.requests).toHaveLength(1);
      expect(internal.requests).toHaveLength(0);
    });

    it('does not follow a webhook redirecting to the internal service', async () => {
      const account = await createAccount(t, user, {
        platform: 'webhook',
        webhookUrl: `${redirector.url}/hook`,
      });
      const imageId = await createImage(t, user);
      const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption: 'hi' });
      await awaitPublishJob(t, post.id);
      expect((await getPost(t, user, post.id)).status).toBe('failed');
      expect(internal.requests).toHaveLength(0);
    });

    it('does not follow a job webhook redirecting to the internal service', async () => {
      const res = await t.http
        .post('/api/v1/jobs')
        .set(user.auth)
        .send({
          type: 'generate',
          prompt: 'x',
          webhookUrl: `${redirector.url}/job-hook`,
          webhookEvents: ['start'],
        });
      expect(res.status).toBe(202);
      await redirector.waitForRequest((req) => req.path === '/job-hook', { timeoutMs: 10_000 });
      expect(internal.requests).toHaveLength(0);
    });
  });
});
