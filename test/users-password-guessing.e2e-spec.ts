import { startSmtpFake, SmtpFake } from './fakes/smtp.fake';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, fakeClientIp, TestUser } from './support/users';

jest.setTimeout(90_000);

const LIMIT = 3;

describe('users: password guessing is limited per account, and account probing learns nothing', () => {
  let t: TestApp;
  let smtp: SmtpFake;

  beforeAll(async () => {
    smtp = await startSmtpFake();
    t = await startTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT), SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const post = (path: string, body: object) =>
    t.http.post(`/api/v1/auth/${path}`).set('x-forwarded-for', fakeClientIp()).send(body);
  const changePassword = (user: TestUser, currentPassword: string) =>
    t.http
      .post('/api/v1/auth/password/change')
      .set(user.auth)
      .send({ currentPassword, newPassword: 'a-brand-new-passphrase' });
  const deleteMe = (user: TestUser, password: string) =>
    t.http.delete('/api/v1/me').set(user.auth).send({ password });

  function expectLimited(res: { status: number; body: { code: string }; headers: Record<string, string> }) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  }

  it('locks password change after repeated wrong current passwords, the right one included', async () => {
    const user = await createUser(t);
    const hashOf = async () =>
      (
        (await t.db.query('SELECT password_hash FROM users WHERE id = $1', [user.id])) as {
          password_hash: string;
        }[]
      )[0].password_hash;
    const before = await hashOf();
    for (let i = 0; i < LIMIT; i++) {
      expect((await changePassword(user, `guess-${i}`)).body.code).toBe('wrong_password');
    }
    expectLimited(await changePassword(user, user.password));
    expect(await hashOf()).toBe(before);
  });

  it('locks account deletion after repeated wrong passwords and keeps the account', async () => {
    const user = await createUser(t);
    for (let i = 0; i < LIMIT; i++) {
      expect((await deleteMe(user, `guess-${i}`)).body.code).toBe('wrong_password');
    }
    expectLimited(await deleteMe(user, user.password));
    await t.http.get('/api/v1/me').set(user.auth).expect(200);
  });

  it('counts failed logins per account, whether typed as username or email', async () => {
    const user = await createUser(t);
    const logins = [user.email, user.username.toUpperCase(), user.email];
    for (const login of logins) {
      await post('login', { login, password: 'not-the-password' }).expect(401);
    }
    expectLimited(await post('login', { login: user.username, password: user.password }));
    // Another account is not affected.
    const other = await createUser(t);
    await post('login', { login: other.username, password: other.password }).expect(200);
  });

  it('answers forgot-password and resend-verification identically for known and unknown accounts', async () => {
    const known = await createUser(t, { verified: false });
    for (const path of ['password/forgot', 'resend-verification']) {
      const forKnown = await post(path, { email: known.email });
      const forUnknown = await post(path, { email: `nobody-${Date.now()}@example.test` });
      expect({ status: forUnknown.status, body: forUnknown.body }).toEqual({
        status: forKnown.status,
        body: forKnown.body,
      });
      expect(forKnown.status).toBe(202);
      const headerNames = (res: { headers: Record<string, string> }) =>
        Object.keys(res.headers)
          .filter((name) => !['date', 'x-request-id'].includes(name))
          .sort();
      expect(headerNames(forUnknown)).toEqual(headerNames(forKnown));
      expect(forUnknown.headers['content-length']).toBe(forKnown.headers['content-length']);
    }
    // The known account still gets its mails, sent after the answer.
    await smtp.waitForMail((m) => m.to.includes(known.email) && /reset/i.test(m.subject), 10_000);
    await smtp.waitForMail((m) => m.to.includes(known.email) && /verif|confirm/i.test(m.subject), 10_000);
  });
});
