import { startTestApp, TestApp } from './support/test-app';
import { createUser, fakeClientIp } from './support/users';

jest.setTimeout(60_000);

describe('users: auth rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  const post = (path: string, body: object, ip: string) =>
    t.http.post(`/api/v1/auth/${path}`).set('x-forwarded-for', ip).send(body);

  function expectLimited(res: { status: number; body: { code: string }; headers: Record<string, string> }) {
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  }

  it('locks an account after repeated failed logins, from any address, even with the right password', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) {
      await post('login', { login: user.email, password: 'wrong-password!' }, fakeClientIp()).expect(401);
    }
    expectLimited(await post('login', { login: user.email, password: user.password }, fakeClientIp()));
    // The lock is per account: another account logs in fine.
    const other = await createUser(t);
    await post('login', { login: other.username, password: other.password }, fakeClientIp()).expect(200);
  });

  it('limits login attempts per client address', async () => {
    const ip = fakeClientIp();
    const user = await createUser(t);
    for (let i = 0; i < 3; i++) {
      await post('login', { login: user.email, password: user.password }, ip).expect(200);
    }
    expectLimited(await post('login', { login: user.email, password: user.password }, ip));
    await post('login', { login: user.email, password: user.password }, fakeClientIp()).expect(200);
  });

  it('limits registrations per address and forgotten-password mails per account', async () => {
    const ip = fakeClientIp();
    for (let i = 0; i < 3; i++) {
      const name = `burst_${i}_${Date.now()}`;
      await post(
        'register',
        { email: `${name}@example.test`, username: name, password: 'long-enough-pass' },
        ip,
      ).expect(201);
    }
    expectLimited(
      await post(
        'register',
        { email: 'late@example.test', username: 'late_one', password: 'long-enough-pass' },
        ip,
      ),
    );

    for (let i = 0; i < 3; i++) {
      await post('password/forgot', { email: 'target@example.test' }, fakeClientIp()).expect(202);
    }
    expectLimited(await post('password/forgot', { email: 'Target@Example.test' }, fakeClientIp()));
  });

  it('limits refreshes per client address', async () => {
    const user = await createUser(t);
    const ip = fakeClientIp();
    let refreshToken = user.refreshToken;
    for (let i = 0; i < 3; i++) {
      refreshToken = (await post('refresh', { refreshToken }, ip).expect(200)).body.refreshToken;
    }
    expectLimited(await post('refresh', { refreshToken }, ip));
    await post('refresh', { refreshToken }, fakeClientIp()).expect(200);
  });
});
