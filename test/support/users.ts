import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

export interface CreateUserOptions {
  /** Mark the email verified (default true). */
  verified?: boolean;
  role?: 'user' | 'admin';
  /** Move the user to this plan (default: the free plan every account starts on). */
  planSlug?: string;
  email?: string;
  username?: string;
  password?: string;
}

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** Ready for supertest: `.set(user.auth)`. */
  auth: { Authorization: string };
}

/**
 * A user registered and logged in through the API. Verification, role and plan are set in the
 * database directly (fast). Each user calls from its own X-Forwarded-For address, so the per-IP
 * auth rate limits do not trip in tests that create many users.
 */
export async function createUser(t: TestApp, opts: CreateUserOptions = {}): Promise<TestUser> {
  const suffix = randomBytes(5).toString('hex');
  const username = opts.username ?? `user_${suffix}`;
  const email = opts.email ?? `${username}@example.test`;
  const password = opts.password ?? `Pw-${randomBytes(9).toString('base64url')}`;
  const ip = fakeClientIp();

  const registered = await t.http
    .post('/api/v1/auth/register')
    .set('x-forwarded-for', ip)
    .send({ email, username, password });
  if (registered.status !== 201) {
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  const id: string = registered.body.id;
  if (opts.verified !== false)
    await t.db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [id]);
  if (opts.role === 'admin') await t.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [id]);
  if (opts.planSlug) {
    const plans: { id: string }[] = await t.db.query('SELECT id FROM plans WHERE slug = $1', [opts.planSlug]);
    if (!plans.length) throw new Error(`No plan "${opts.planSlug}"`);
    await t.db.query('UPDATE users SET plan_id = $2 WHERE id = $1', [id, plans[0].id]);
  }

  const tokens = await login(t, email, password, ip);
  return {
    id,
    email,
    username,
    password,
    ...tokens,
    auth: { Authorization: `Bearer ${tokens.accessToken}` },
  };
}

/** Logs in through the API; returns the token pair. */
export async function login(
  t: TestApp,
  loginName: string,
  password: string,
  ip = fakeClientIp(),
): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await t.http
    .post('/api/v1/auth/login')
    .set('x-forwarded-for', ip)
    .send({ login: loginName, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

/** A random address in 10.0.0.0/8, as a proxy would report the client. */
export function fakeClientIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}
