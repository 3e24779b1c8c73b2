import { startXFake, type XFake } from './fakes/x.fake';
import { awaitPublishJob, createAccount, createImage, createPost, getPost } from './scheduler-helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/** X access tokens expire (2 h) and refresh tokens rotate: publishing renews them and keeps the new pair. */
describe('scheduler: X token refresh', () => {
  let t: TestApp;
  let x: XFake;
  let user: TestUser;

  beforeAll(async () => {
    x = await startXFake({ accessToken: 'x-initial', refreshToken: 'x-refresh-0' });
    t = await startTestApp({
      X_API_URL: x.url,
      X_CLIENT_ID: 'atelier-test-client',
      FEATURES: 'images,scheduler',
    });
    user = await createUser(t);
  });

  afterAll(async () => {
    await t?.close();
    await x?.close();
  });

  it('refreshes an expired token, publishes, and stores the rotated refresh token for next time', async () => {
    const account = await createAccount(t, user, {
      platform: 'x',
      accessToken: 'x-initial',
      refreshToken: 'x-refresh-0',
    });

    for (const caption of ['after first expiry', 'after second expiry']) {
      x.expireAccessTokens();
      const imageId = await createImage(t, user);
      const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption });
      await awaitPublishJob(t, post.id);
      expect(await getPost(t, user, post.id)).toMatchObject({ status: 'published', attempts: 1 });
    }

    // The second refresh could only succeed with the token the first one returned.
    expect(x.refreshes).toHaveLength(2);
    expect(x.refreshes[1].usedRefreshToken).toBe(x.refreshes[0].refreshToken);
    const refreshRequest = x.requests.find((r) => r.path === '/2/oauth2/token')!;
    expect(refreshRequest.form?.get('client_id')).toBe('atelier-test-client');
    expect(x.tweets.map((tweet) => tweet.text)).toEqual(['after first expiry', 'after second expiry']);
    const stored = await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth).expect(200);
    expect(stored.body.status).toBe('active');
    expect(new Date(stored.body.tokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('a refused refresh token fails the post with token_expired and marks the account expired', async () => {
    const account = await createAccount(t, user, {
      platform: 'x',
      accessToken: 'revoked',
      refreshToken: 'stale',
      externalId: '2244994945',
      displayName: '@atelier_test',
    });
    const imageId = await createImage(t, user);
    const post = await createPost(t, user, { imageId, socialAccountId: account.id, caption: 'never sent' });
    await awaitPublishJob(t, post.id);

    expect(await getPost(t, user, post.id)).toMatchObject({ status: 'failed', errorCode: 'token_expired' });
    const stored = await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth).expect(200);
    expect(stored.body.status).toBe('expired');
    expect(x.tweets.map((tweet) => tweet.text)).not.toContain('never sent');
  });

  describe('errors that are not about the token', () => {
    const identity = { platform: 'x', externalId: '2244994945', displayName: '@atelier_test' };
    const publish = async (socialAccountId: string, caption: string) => {
      const post = await createPost(t, user, {
        imageId: await createImage(t, user),
        socialAccountId,
        caption,
      });
      await awaitPublishJob(t, post.id);
      return getPost(t, user, post.id);
    };
    const accountStatus = async (id: string) =>
      (await t.http.get(`/api/v1/social-accounts/${id}`).set(user.auth).expect(200)).body.status;

    it('republishing the same text fails the post duplicate_content; the account and its refresh token are untouched', async () => {
      const account = await createAccount(t, user, {
        ...identity,
        // Whatever the token's state, the first post succeeds (refreshing when needed).
        accessToken: x.refreshes.at(-1)?.accessToken ?? 'x-initial',
        refreshToken: x.refreshToken,
      });
      expect(await publish(account.id, 'the same words twice')).toMatchObject({ status: 'published' });
      const refreshTokenBefore = x.refreshToken;
      const refreshesBefore = x.refreshes.length;

      expect(await publish(account.id, 'the same words twice')).toMatchObject({
        status: 'failed',
        errorCode: 'duplicate_content',
        attempts: 1,
      });
      expect(x.refreshes.length).toBe(refreshesBefore);
      expect(x.refreshToken).toBe(refreshTokenBefore);
      expect(await accountStatus(account.id)).toBe('active');
      expect(x.tweets.filter((tweet) => tweet.text === 'the same words twice')).toHaveLength(1);
    });

    it('a 401 again right after a successful refresh is not the token: rejected once, account active', async () => {
      x.expireAccessTokens();
      const account = await createAccount(t, user, {
        ...identity,
        accessToken: 'expired-access',
        refreshToken: x.refreshToken,
      });
      const refreshesBefore = x.refreshes.length;
      // The upload's 401 is the expired token; the tweet's 401, with the fresh token, is something else.
      x.failNext('unauthorized', { path: '/2/tweets' });

      expect(await publish(account.id, 'refused whatever the token')).toMatchObject({
        status: 'failed',
        errorCode: 'permission_denied',
      });
      expect(x.refreshes.length - refreshesBefore).toBe(1);
      expect(await accountStatus(account.id)).toBe('active');
    });
  });

  describe('POST /social-accounts/:id/verify', () => {
    const verify = (accountId: string) =>
      t.http.post(`/api/v1/social-accounts/${accountId}/verify`).set(user.auth);
    const identity = { externalId: '2244994945', displayName: '@atelier_test' };

    it('renews an expired access token with the refresh token instead of marking the account expired', async () => {
      x.expireAccessTokens();
      const refreshToken = x.refreshToken;
      const account = await createAccount(t, user, {
        platform: 'x',
        accessToken: 'expired-access',
        refreshToken,
        ...identity,
      });
      const refreshesBefore = x.refreshes.length;

      const res = await verify(account.id).expect(200);
      expect(res.body).toMatchObject({ status: 'active', externalId: identity.externalId });
      expect(res.body.lastVerifiedAt).not.toBeNull();
      expect(new Date(res.body.tokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
      expect(x.refreshes.length - refreshesBefore).toBe(1);
      expect(x.refreshes.at(-1)!.usedRefreshToken).toBe(refreshToken);

      // The rotated pair was kept: the next verify succeeds with the new access token, no refresh.
      await verify(account.id).expect(200);
      expect(x.refreshes.length - refreshesBefore).toBe(1);
      const me = x.requests.filter((r) => r.path === '/2/users/me').at(-1)!;
      expect(me.headers.authorization).toBe(`Bearer ${x.refreshes.at(-1)!.accessToken}`);
    });

    it('marks the account expired when the refresh token is refused too', async () => {
      x.expireAccessTokens();
      const account = await createAccount(t, user, {
        platform: 'x',
        accessToken: 'expired-access',
        refreshToken: 'not-the-current-one',
        ...identity,
      });
      const refreshesBefore = x.refreshes.length;

      const res = await verify(account.id).expect(409);
      expect(res.body.code).toBe('token_expired');
      expect(x.refreshes.length).toBe(refreshesBefore);
      const stored = await t.http.get(`/api/v1/social-accounts/${account.id}`).set(user.auth).expect(200);
      expect(stored.body.status).toBe('expired');
    });
  });
});
