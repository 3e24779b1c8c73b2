import { startXFake, type XFake } from './fakes/x.fake';
import { createAccount, createImage, createPost } from './scheduler-helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

const IN_AN_HOUR = () => new Date(Date.now() + 3_600_000).toISOString();

/** Accounts and posts through the API: ownership, validation, state rules, idempotency, SSRF. */
describe('scheduler: accounts and posts API', () => {
  let t: TestApp;
  let x: XFake;
  let user: TestUser;
  let other: TestUser;
  let xAccount: { id: string };
  let igAccount: { id: string };

  beforeAll(async () => {
    x = await startXFake();
    // Private webhooks are refused here (the default), so the SSRF guard is live.
    t = await startTestApp({ X_API_URL: x.url, FEATURES: 'images,scheduler' });
    [user, other] = await Promise.all([createUser(t), createUser(t)]);
    xAccount = await createAccount(t, user, {
      platform: 'x',
      accessToken: 'x-secret-token',
      refreshToken: 'x-refresh',
    });
    igAccount = await createAccount(t, user, {
      platform: 'instagram',
      accessToken: 'ig-secret',
      externalId: '1784',
      displayName: 'IG',
    });
  });

  afterAll(async () => {
    await t?.close();
    await x?.close();
  });

  describe('social accounts', () => {
    it('stores tokens encrypted and never returns them', async () => {
      const rows: Array<{ access_token_enc: string }> = await t.db.query(
        'SELECT access_token_enc FROM social_accounts WHERE id = $1',
        [xAccount.id],
      );
      expect(rows[0].access_token_enc).toMatch(/^v1\./);
      expect(rows[0].access_token_enc).not.toContain('x-secret-token');
      const res = await t.http.get(`/api/v1/social-accounts/${xAccount.id}`).set(user.auth).expect(200);
      expect(res.body).toMatchObject({
        platform: 'x',
        status: 'active',
        hasAccessToken: true,
        hasRefreshToken: true,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/x-secret-token|x-refresh/);
    });

    it("hides other users' accounts (404)", async () => {
      await t.http.get(`/api/v1/social-accounts/${xAccount.id}`).set(other.auth).expect(404);
      const list = await t.http.get('/api/v1/social-accounts').set(other.auth).expect(200);
      expect(list.body).toEqual({ items: [], nextCursor: null });
    });

    it('verify calls the platform and a refused token marks the account expired', async () => {
      await t.http.post(`/api/v1/social-accounts/${xAccount.id}/verify`).set(user.auth).expect(200);
      const account = await createAccount(t, user, { platform: 'x', accessToken: 'will-expire' });
      x.failNext('unauthorized', { path: '/2/users/me' });
      const res = await t.http.post(`/api/v1/social-accounts/${account.id}/verify`).set(user.auth);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('token_expired');
      const stored = await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth);
      expect(stored.body.status).toBe('expired');
      // New credentials reconnect it.
      const patched = await t.http
        .patch(`/api/v1/social-accounts/${account.id}`)
        .set(user.auth)
        .send({ accessToken: 'fresh' })
        .expect(200);
      expect(patched.body.status).toBe('active');
      await t.http.delete(`/api/v1/social-accounts/${account.id}`).set(user.auth).expect(204);
      await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth).expect(404);
    });

    it.each([
      ['loopback literal', 'http://127.0.0.1:8080/hook'],
      ['private range', 'http://10.0.0.1/hook'],
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
      ['a hostname resolving to loopback', 'http://localhost:3000/hook'],
      ['decimal-encoded loopback', 'http://2130706433/hook'],
      ['IPv6 loopback', 'http://[::1]/hook'],
      ['a non-http scheme', 'file:///etc/passwd'],
    ])('refuses a webhook URL pointing at %s', async (_, webhookUrl) => {
      const res = await t.http
        .post('/api/v1/social-accounts')
        .set(user.auth)
        .send({ platform: 'webhook', webhookUrl });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('unsafe_webhook_url');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'webhookUrl' })]);
    });
  });

  describe('creating posts', () => {
    it("accepts only the caller's images (404 otherwise)", async () => {
      const theirs = await createImage(t, other);
      const res = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId: theirs, socialAccountId: xAccount.id, scheduledAt: IN_AN_HOUR() });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('image_not_found');
    });

    it.each([
      [{ moderation: 'flagged' as const }, 'moderation_blocked'],
      [{ moderation: 'pending' as const }, 'moderation_blocked'],
      [{ status: 'generated' as const }, 'image_not_validated'],
      [{ status: 'rejected' as const }, 'image_not_validated'],
    ])('refuses an image that is %j (%s)', async (setup, code) => {
      const imageId = await createImage(t, user, setup);
      const res = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId, socialAccountId: xAccount.id, scheduledAt: IN_AN_HOUR() });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe(code);
    });

    it('accepts a validated image whose moderation was skipped', async () => {
      const imageId = await createImage(t, user, { moderation: 'skipped' });
      await createPost(t, user, { imageId, socialAccountId: xAccount.id, scheduledAt: IN_AN_HOUR() });
    });

    it('checks caption and hashtags against the platform limits, naming the field', async () => {
      const imageId = await createImage(t, user);
      const long = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId, socialAccountId: xAccount.id, caption: 'a'.repeat(281), scheduledAt: IN_AN_HOUR() });
      expect(long.status).toBe(400);
      expect(long.body.errors).toEqual([expect.objectContaining({ field: 'caption' })]);

      const hashtags = Array.from({ length: 31 }, (_, i) => `tag${String.fromCharCode(97 + (i % 26))}${i}`);
      const many = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId, socialAccountId: igAccount.id, caption: 'ok', hashtags, scheduledAt: IN_AN_HOUR() });
      expect(many.status).toBe(400);
      expect(many.body.errors).toEqual([expect.objectContaining({ field: 'hashtags' })]);

      const invalid = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId, socialAccountId: igAccount.id, hashtags: ['no spaces'], scheduledAt: IN_AN_HOUR() });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0].field).toBe('hashtags.0');
    });

    it('refuses a time in the past', async () => {
      const imageId = await createImage(t, user);
      const res = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({
          imageId,
          socialAccountId: xAccount.id,
          scheduledAt: new Date(Date.now() - 3_600_000).toISOString(),
        });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'scheduledAt' })]);
    });

    it('honours Idempotency-Key: a repeated request returns the first post', async () => {
      const imageId = await createImage(t, user);
      const body = { imageId, socialAccountId: xAccount.id, caption: 'idem', scheduledAt: IN_AN_HOUR() };
      const [a, b] = await Promise.all([
        t.http.post('/api/v1/posts').set(user.auth).set('Idempotency-Key', 'key-1').send(body),
        t.http.post('/api/v1/posts').set(user.auth).set('Idempotency-Key', 'key-1').send(body),
      ]);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body.id).toBe(a.body.id);
      const count: Array<{ n: number }> = await t.db.query(
        `SELECT count(*)::int AS n FROM posts WHERE idempotency_key = 'key-1'`,
      );
      expect(count[0].n).toBe(1);
      const otherImage = await createImage(t, user);
      const misuse = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .set('Idempotency-Key', 'key-1')
        .send({ ...body, imageId: otherImage });
      expect(misuse.status).toBe(422);
    });

    it('requires a verified email', async () => {
      const unverified = await createUser(t, { verified: false });
      const res = await t.http.post('/api/v1/posts').set(unverified.auth).send({});
      expect(res.status).toBe(403);
    });
  });

  describe('post lifecycle', () => {
    it('edits and deletes only while scheduled; cancel; retry only failed', async () => {
      const imageId = await createImage(t, user);
      const post = await createPost(t, user, {
        imageId,
        socialAccountId: xAccount.id,
        scheduledAt: IN_AN_HOUR(),
      });
      const patched = await t.http
        .patch(`/api/v1/posts/${post.id}`)
        .set(user.auth)
        .send({ caption: 'edited', hashtags: ['#new'] })
        .expect(200);
      expect(patched.body).toMatchObject({ caption: 'edited', hashtags: ['new'], status: 'scheduled' });
      await t.http.patch(`/api/v1/posts/${post.id}`).set(other.auth).send({ caption: 'x' }).expect(404);
      await t.http.post(`/api/v1/posts/${post.id}/retry`).set(user.auth).expect(409);

      const cancelled = await t.http.post(`/api/v1/posts/${post.id}/cancel`).set(user.auth).expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      const edit = await t.http.patch(`/api/v1/posts/${post.id}`).set(user.auth).send({ caption: 'late' });
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('post_not_editable');
      await t.http.delete(`/api/v1/posts/${post.id}`).set(user.auth).expect(409);
      await t.http.post(`/api/v1/posts/${post.id}/publish-now`).set(user.auth).expect(409);

      const second = await createPost(t, user, {
        imageId,
        socialAccountId: xAccount.id,
        scheduledAt: IN_AN_HOUR(),
      });
      await t.http.delete(`/api/v1/posts/${second.id}`).set(user.auth).expect(204);
      await t.http.get(`/api/v1/posts/${second.id}`).set(user.auth).expect(404);
    });

    it('lists with filters and keyset pages, and reports stats', async () => {
      const imageId = await createImage(t, user);
      for (let i = 0; i < 3; i++) {
        await createPost(t, user, { imageId, socialAccountId: xAccount.id, scheduledAt: IN_AN_HOUR() });
      }
      const pageOne = await t.http
        .get('/api/v1/posts?limit=2&status=scheduled&platform=x')
        .set(user.auth)
        .expect(200);
      expect(pageOne.body.items).toHaveLength(2);
      expect(
        pageOne.body.items.every(
          (p: { status: string; platform: string }) => p.status === 'scheduled' && p.platform === 'x',
        ),
      ).toBe(true);
      const pageTwo = await t.http
        .get(`/api/v1/posts?limit=2&status=scheduled&platform=x&cursor=${pageOne.body.nextCursor}`)
        .set(user.auth)
        .expect(200);
      expect(pageTwo.body.items.length).toBeGreaterThan(0);
      const ids = [...pageOne.body.items, ...pageTwo.body.items].map((p: { id: string }) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const none = await t.http.get('/api/v1/posts?platform=instagram').set(user.auth).expect(200);
      expect(none.body.items).toEqual([]);
      const window = await t.http
        .get(`/api/v1/posts?from=${new Date(Date.now() + 7_200_000).toISOString()}`)
        .set(user.auth)
        .expect(200);
      expect(window.body.items).toEqual([]);

      const stats = await t.http.get('/api/v1/posts/stats').set(user.auth).expect(200);
      expect(stats.body.byStatus.scheduled).toBeGreaterThanOrEqual(3);
      expect(stats.body.byStatus.cancelled).toBe(1);
      expect(stats.body.byPlatform.x.total).toBeGreaterThanOrEqual(4);
      expect(stats.body.successRate).toBeNull();
    });
  });
});
