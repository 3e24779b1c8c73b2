import { randomUUID } from 'node:crypto';
import { ExpiredTokensCron } from '@atelier/users';
import { startSmtpFake, SmtpFake, tokenFromMail } from './fakes/smtp.fake';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, fakeClientIp, login } from './support/users';

jest.setTimeout(60_000);

describe('users: registration, sessions and passwords', () => {
  let t: TestApp;
  let smtp: SmtpFake;
  const mailTo = (address: string, subject: RegExp) =>
    smtp.waitForMail((m) => m.to.includes(address) && subject.test(m.subject), 10_000);

  beforeAll(async () => {
    smtp = await startSmtpFake();
    t = await startTestApp({ SMTP_URL: smtp.url, WEB_URL: 'https://atelier.test' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const post = (path: string, body: object, ip = fakeClientIp()) =>
    t.http.post(`/api/v1/auth/${path}`).set('x-forwarded-for', ip).send(body);

  it('registers, mails a link, verifies, logs in, rotates, detects reuse and logs out', async () => {
    const registered = await post('register', {
      email: 'Ada@Example.test',
      username: 'AdaL',
      password: 'analytical-engine-1843',
    }).expect(201);
    expect(registered.body).toMatchObject({
      email: 'ada@example.test',
      username: 'AdaL',
      emailVerified: false,
    });
    expect(JSON.stringify(registered.body)).not.toMatch(/argon2|passwordHash/);
    const [stored] = await t.db.query('SELECT password_hash, plan_id FROM users WHERE id = $1', [
      registered.body.id,
    ]);
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const [free] = await t.db.query(`SELECT id FROM plans WHERE slug = 'free'`);
    expect(stored.plan_id).toBe(free.id);

    const mail = await mailTo('ada@example.test', /confirm/i);
    expect(mail.text).toContain('https://atelier.test/verify-email?token=');
    const token = tokenFromMail(mail);
    const [row] = await t.db.query('SELECT token_hash FROM user_tokens WHERE user_id = $1', [
      registered.body.id,
    ]);
    expect(row.token_hash).not.toBe(token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const verified = await post('verify-email', { token }).expect(200);
    expect(verified.body.emailVerified).toBe(true);
    const again = await post('verify-email', { token }).expect(400);
    expect(again.body.code).toBe('invalid_or_expired_token');

    // Email or username, case-insensitively.
    const byName = await post('login', { login: 'adal', password: 'analytical-engine-1843' }).expect(200);
    expect(byName.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { emailVerified: true } });
    const first = await post('login', {
      login: 'ADA@example.test',
      password: 'analytical-engine-1843',
    }).expect(200);
    await t.http.get('/api/v1/me').set('authorization', `Bearer ${first.body.accessToken}`).expect(200);

    const rotated = await post('refresh', { refreshToken: first.body.refreshToken }).expect(200);
    expect(rotated.body.refreshToken).not.toBe(first.body.refreshToken);
    const next = await post('refresh', { refreshToken: rotated.body.refreshToken }).expect(200);

    // The first token again: a stolen copy. The whole family dies, including the newest token.
    const reuse = await post('refresh', { refreshToken: first.body.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    await post('refresh', { refreshToken: next.body.refreshToken }).expect(401);
    // Other sessions are untouched.
    const other = await post('refresh', { refreshToken: byName.body.refreshToken }).expect(200);

    await post('logout', { refreshToken: other.body.refreshToken }).expect(204);
    const afterLogout = await post('refresh', { refreshToken: other.body.refreshToken }).expect(401);
    expect(afterLogout.body.code).toBe('invalid_refresh_token');
  });

  it('lets only one of two simultaneous refreshes with one token win, and revokes that session', async () => {
    const user = await createUser(t);
    const results = await Promise.all([
      post('refresh', { refreshToken: user.refreshToken }),
      post('refresh', { refreshToken: user.refreshToken }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)!;
    await post('refresh', { refreshToken: winner.body.refreshToken }).expect(401);
  });

  it('refuses taken emails and usernames, case-insensitively', async () => {
    await post('register', {
      email: 'grace@example.test',
      username: 'grace',
      password: 'cobol-compiler-1959',
    }).expect(201);
    const email = await post('register', {
      email: 'GRACE@example.test',
      username: 'other',
      password: 'cobol-compiler-1959',
    }).expect(409);
    expect(email.body.code).toBe('email_taken');
    const name = await post('register', {
      email: 'g2@example.test',
      username: 'Grace',
      password: 'cobol-compiler-1959',
    }).expect(409);
    expect(name.body.code).toBe('username_taken');
  });

  it.each([
    ['short', 'short-pw', /at least 10/],
    ['common', 'password123', /too common/],
    ['own username', 'hopper-1906', /username or email/],
  ])('refuses a %s password with a field error', async (_case, password, message) => {
    const res = await post('register', {
      email: 'hopper@example.test',
      username: 'hopper-1906',
      password,
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'password' }] });
    expect(res.body.errors[0].message).toMatch(message);
  });

  it('answers unknown users and wrong passwords with the same 401', async () => {
    const user = await createUser(t);
    const wrong = await post('login', { login: user.email, password: 'not-the-password' }).expect(401);
    const unknown = await post('login', {
      login: 'nobody@example.test',
      password: 'not-the-password',
    }).expect(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(unknown.body).toMatchObject({ code: wrong.body.code, detail: wrong.body.detail });
  });

  it('resends verification with 202 whether or not the account exists', async () => {
    const user = await createUser(t, { verified: false });
    await post('resend-verification', { email: 'ghost@example.test' }).expect(202, { accepted: true });
    await post('resend-verification', { email: user.email }).expect(202, { accepted: true });
    // The sign-up mail and the resent one (the queue delivers in order).
    const toUser = () => smtp.mails.filter((m) => m.to.includes(user.email));
    await smtp.waitForMail(() => toUser().length >= 2, 10_000);
    const [signUp, resent] = toUser();
    // Only the newest link works.
    await post('verify-email', { token: tokenFromMail(signUp) }).expect(400);
    await post('verify-email', { token: tokenFromMail(resent) }).expect(200);
    expect(smtp.mails.some((m) => m.to.includes('ghost@example.test'))).toBe(false);
  });

  it('resets a forgotten password with a single-use link and revokes every session', async () => {
    const user = await createUser(t);
    await post('password/forgot', { email: 'nobody-here@example.test' }).expect(202);
    await post('password/forgot', { email: user.email.toUpperCase() }).expect(202, { accepted: true });
    const mail = await mailTo(user.email, /reset/i);
    expect(mail.text).toContain('https://atelier.test/reset-password?token=');
    const token = tokenFromMail(mail);

    const weak = await post('password/reset', { token, password: 'password1' }).expect(400);
    expect(weak.body.errors[0].field).toBe('password');
    await post('password/reset', { token, password: 'a-brand-new-secret' }).expect(204);
    await post('password/reset', { token, password: 'yet-another-secret' }).expect(400);

    await post('refresh', { refreshToken: user.refreshToken }).expect(401);
    await post('login', { login: user.email, password: user.password }).expect(401);
    await login(t, user.email, 'a-brand-new-secret');
  });

  it('changes the password, keeping this session and revoking the others', async () => {
    const user = await createUser(t);
    const elsewhere = await login(t, user.username, user.password);
    const change = (body: object) => t.http.post('/api/v1/auth/password/change').set(user.auth).send(body);

    const wrong = await change({ currentPassword: 'not-it-at-all', newPassword: 'fresh-password-42' }).expect(
      400,
    );
    expect(wrong.body.code).toBe('wrong_password');
    await change({ currentPassword: user.password, newPassword: 'fresh-password-42' }).expect(204);

    await post('refresh', { refreshToken: elsewhere.refreshToken }).expect(401);
    await post('refresh', { refreshToken: user.refreshToken }).expect(200);
    await login(t, user.email, 'fresh-password-42');
    await t.http
      .post('/api/v1/auth/password/change')
      .send({ currentPassword: 'x', newPassword: 'y' })
      .expect(401);
  });

  it('purges tokens a day after they expired or were revoked, keeping live sessions', async () => {
    const user = await createUser(t);
    const insert = (hash: string, expires: string, revoked: string | null) =>
      t.db.query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, revoked_at)
         VALUES ($1, $2, $3, now() + $4::interval, now() + $5::interval)`,
        [user.id, randomUUID(), hash, expires, revoked],
      );
    await insert('expired-long-ago', '-2 days', null);
    await insert('revoked-long-ago', '10 days', '-2 days');
    await insert('revoked-just-now', '10 days', '-1 hour');
    await t.app.get(ExpiredTokensCron).purgeExpiredTokens();
    const rows: { token_hash: string }[] = await t.db.query(
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(rows.map((r) => r.token_hash)).not.toEqual(expect.arrayContaining(['expired-long-ago']));
    expect(rows.map((r) => r.token_hash)).not.toEqual(expect.arrayContaining(['revoked-long-ago']));
    expect(rows).toHaveLength(2); // the live login session and the recently revoked token
    await post('refresh', { refreshToken: user.refreshToken }).expect(200);
  });

  it('documents every auth route in OpenAPI', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    for (const path of [
      'register',
      'verify-email',
      'resend-verification',
      'login',
      'refresh',
      'logout',
      'password/forgot',
      'password/reset',
      'password/change',
    ]) {
      expect(doc.body.paths).toHaveProperty(`/api/v1/auth/${path}`);
    }
  });
});
