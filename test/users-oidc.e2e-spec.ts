import { createHmac, randomUUID } from 'node:crypto';
import { startOidcIssuerFake, type OidcIssuerFake } from './fakes/oidc-issuer.fake';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser } from './support/users';

jest.setTimeout(60_000);

const FIEF_SECRET = 'fief-webhook-secret-for-oidc-tests';

describe('users: OpenID Connect sign-in with an external issuer', () => {
  let t: TestApp;
  let issuer: OidcIssuerFake;
  beforeAll(async () => {
    issuer = await startOidcIssuerFake();
    t = await startTestApp({
      FEATURES: 'images,processing',
      OIDC_ISSUER: issuer.issuer,
      OIDC_AUDIENCE: issuer.audience,
      // Tests rotate keys back to back; production keeps the default floor between refetches.
      OIDC_JWKS_COOLDOWN_SECONDS: '0',
      FIEF_WEBHOOK_SECRET: FIEF_SECRET,
    });
  });
  afterAll(async () => {
    await t?.close();
    await issuer?.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const me = (token: string) => t.http.get('/api/v1/me').set(bearer(token));

  it('creates the local user on first use, with the default plan, and finds it again by issuer + sub', async () => {
    const sub = randomUUID();
    const token = await issuer.sign({ sub, email: 'Ada@Example.test', email_verified: true, name: 'Ada L.' });
    const first = await me(token).expect(200);
    expect(first.body).toMatchObject({
      email: 'ada@example.test',
      displayName: 'Ada L.',
      role: 'user',
      emailVerified: true,
    });
    const quota = await t.http.get('/api/v1/me/quota').set(bearer(token)).expect(200);
    expect(quota.body.plan.slug).toBe('free');

    const again = await me(await issuer.sign({ sub })).expect(200);
    expect(again.body.id).toBe(first.body.id);
    const rows = await t.db.query(
      'SELECT id, oidc_issuer, password_hash FROM users WHERE oidc_subject = $1',
      [sub],
    );
    expect(rows).toEqual([{ id: first.body.id, oidc_issuer: issuer.issuer, password_hash: null }]);
  });

  it('signs in as the user a Fief webhook created (Fief user id = sub)', async () => {
    const fiefId = randomUUID();
    const body = JSON.stringify({
      type: 'user.created',
      data: { id: fiefId, email: 'grace@example.test', email_verified: true, fields: { username: 'grace' } },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', FIEF_SECRET).update(`${timestamp}.${body}`).digest('hex');
    await t.http
      .post('/api/v1/webhooks/fief')
      .set({
        'content-type': 'application/json',
        'x-fief-webhook-signature': signature,
        'x-fief-webhook-timestamp': timestamp,
      })
      .send(body)
      .expect(200);
    const [mirrored] = await t.db.query('SELECT id FROM users WHERE external_id = $1', [fiefId]);

    const res = await me(await issuer.sign({ sub: fiefId })).expect(200);
    expect(res.body).toMatchObject({ id: mirrored.id, username: 'grace', email: 'grace@example.test' });
  });

  it('gives OIDC users the same plans, quotas and roles as anyone', async () => {
    const sub = randomUUID();
    const token = await issuer.sign({ sub, email: `${sub}@example.test`, email_verified: true });
    const { body: user } = await me(token).expect(200);

    const job = await t.http
      .post('/api/v1/jobs')
      .set(bearer(token))
      .set('Prefer', 'wait=30')
      .send({ type: 'generate', prompt: 'a quiet harbour', provider: 'local' })
      .expect(201);
    expect(job.body.status).toBe('succeeded');
    const quota = await t.http.get('/api/v1/me/quota').set(bearer(token)).expect(200);
    expect(quota.body.usage.generation.used).toBe(1);
    await t.http.get('/api/v1/admin/users').set(bearer(token)).expect(403);
    const admin = await createUser(t, { role: 'admin' });
    const [premium] = await t.db.query(`SELECT id FROM plans WHERE slug = 'premium'`);
    await t.http
      .patch(`/api/v1/admin/users/${user.id}`)
      .set(admin.auth)
      .send({ role: 'admin', planId: premium.id })
      .expect(200);
    const upgraded = await t.http.get('/api/v1/me/quota').set(bearer(token)).expect(200);
    expect(upgraded.body.plan.slug).toBe('premium');
    // The role is the local account's, read on every request: the same token is now an admin's.
    await t.http.get('/api/v1/admin/users').set(bearer(token)).expect(200);

    await t.http.post(`/api/v1/admin/users/${user.id}/deactivate`).set(admin.auth).expect(200);
    const refused = await me(token).expect(403);
    expect(refused.body.code).toBe('account_deactivated');
  });

  it('follows a key rotation: a token with a new kid makes the app fetch the JWKS again', async () => {
    const sub = randomUUID();
    const oldToken = await issuer.sign({ sub });
    await me(oldToken).expect(200);
    const fetchesBefore = issuer.jwksFetches;

    await issuer.rotateKeys('RS256');
    const rotated = await issuer.sign({ sub });
    await me(rotated).expect(200);
    expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
    // Known kid, cached key: no further fetch.
    await me(rotated).expect(200);
    expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
    // The retired key is no longer published, so its tokens stop working.
    const retired = await me(oldToken).expect(401);
    expect(retired.body.code).toBe('invalid_token');

    await issuer.rotateKeys('ES256');
    const ec = await me(await issuer.sign({ sub })).expect(200);
    expect(ec.body.id).toBeDefined();
  });

  it.each([
    ['expired', { expiresIn: -60 }],
    ['for another audience', { audience: 'someone-else' }],
    ['from another issuer', { issuer: 'https://issuer.example.test' }],
    ['signed with a key the issuer does not publish', { foreignKey: true }],
  ])('refuses a token %s with 401', async (_case, options) => {
    const res = await me(await issuer.sign({ sub: randomUUID() }, options)).expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('still accepts Atelier’s own tokens beside the issuer’s', async () => {
    const local = await createUser(t);
    const res = await t.http.get('/api/v1/me').set(local.auth).expect(200);
    expect(res.body.id).toBe(local.id);
  });

  // Last: it shuts the issuer down.
  it('answers 503 (not 401) when the issuer cannot be reached to fetch a new key', async () => {
    await issuer.rotateKeys();
    const token = await issuer.sign({ sub: randomUUID() });
    await issuer.close();
    const res = await me(token).expect(503);
    expect(res.body.code).toBe('identity_provider_unavailable');
  });
});
