import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ProblemException } from '@atelier/core';
import { PlansService, QuotaService } from '@atelier/users';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, login } from './support/users';

jest.setTimeout(60_000);

const ADMIN = { email: 'root@example.test', password: 'seeded-admin-password' };

describe('users: plans and quotas', () => {
  let t: TestApp;
  let quotas: QuotaService;
  beforeAll(async () => {
    t = await startTestApp({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ADMIN_USERNAME: 'root',
    });
    quotas = t.app.get(QuotaService);
  });
  afterAll(() => t.close());

  it('seeds free and premium plans, listed publicly cheapest first', async () => {
    const res = await t.http.get('/api/v1/plans').expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((p: { slug: string }) => p.slug)).toEqual(['free', 'premium']);
    expect(res.body.items[0]).toMatchObject({ priceCents: 0, premium: false, queuePriority: 5 });
    expect(res.body.items[1]).toMatchObject({ premium: true, queuePriority: 1 });
    expect(res.body.items[1].allowedProviders).toContain('openai');
  });

  it('seeds the administrator from ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const tokens = await login(t, ADMIN.email, ADMIN.password);
    const me = await t.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${tokens.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ role: 'admin', emailVerified: true, username: 'root' });
  });

  it('creates an administrator from the command line without a prompt', async () => {
    const root = join(__dirname, '..');
    const args = ['--email', 'ops@example.test', '--password', 'command-line-admin', '--username', 'ops'];
    const child = spawn(
      process.execPath,
      ['-r', './scripts/ts-register.js', 'scripts/create-admin.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: t.env.DATABASE_URL, DATABASE_MIGRATE: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect({ code, output }).toMatchObject({ code: 0, output: expect.stringContaining('ops@example.test') });
    const tokens = await login(t, 'ops', 'command-line-admin');
    const me = await t.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${tokens.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ role: 'admin', emailVerified: true });
  });

  it('lets only admins write plans and move users between them', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const user = await createUser(t);
    const plan = {
      slug: 'studio',
      name: 'Studio',
      priceCents: 2900,
      dailyGenerations: 2000,
      dailyEdits: 2000,
      dailyUploads: 5000,
      maxImageSide: 4096,
      allowedProviders: ['local', 'openai'],
      concurrency: 8,
      queuePriority: 1,
      premium: true,
    };
    const denied = await t.http.post('/api/v1/plans').set(user.auth).send(plan).expect(403);
    expect(denied.body.code).toBe('admin_only');
    const invalid = await t.http
      .post('/api/v1/plans')
      .set(admin.auth)
      .send({ ...plan, allowedProviders: ['ftp'] });
    expect(invalid.status).toBe(400);

    const created = await t.http.post('/api/v1/plans').set(admin.auth).send(plan).expect(201);
    await t.http.post('/api/v1/plans').set(admin.auth).send(plan).expect(409);
    const patched = await t.http
      .patch(`/api/v1/plans/${created.body.id}`)
      .set(admin.auth)
      .send({ dailyEdits: 3 })
      .expect(200);
    expect(patched.body).toMatchObject({ slug: 'studio', dailyEdits: 3 });

    await t.http
      .put(`/api/v1/users/${user.id}/plan`)
      .set(user.auth)
      .send({ planId: created.body.id })
      .expect(403);
    await t.http
      .put(`/api/v1/users/${user.id}/plan`)
      .set(admin.auth)
      .send({ planId: created.body.id })
      .expect(200);
    const report = await t.http.get('/api/v1/me/quota').set(user.auth).expect(200);
    expect(report.body.plan.slug).toBe('studio');
    expect(report.body.usage.edit).toEqual({ limit: 3, used: 0, remaining: 3 });

    const inUse = await t.http.delete(`/api/v1/plans/${created.body.id}`).set(admin.auth).expect(409);
    expect(inUse.body.code).toBe('plan_in_use');
    await t.http
      .patch(`/api/v1/plans/${created.body.id}`)
      .set(admin.auth)
      .send({ active: false })
      .expect(200);
    const listed = await t.http.get('/api/v1/plans').expect(200);
    expect(listed.body.items.map((p: { slug: string }) => p.slug)).not.toContain('studio');

    const spare = await t.http
      .post('/api/v1/plans')
      .set(admin.auth)
      .send({ ...plan, slug: 'spare' })
      .expect(201);
    await t.http.delete(`/api/v1/plans/${spare.body.id}`).set(admin.auth).expect(204);
    await t.http.delete(`/api/v1/plans/${spare.body.id}`).set(admin.auth).expect(404);
  });

  it('grants exactly the limit to 50 parallel consumes', async () => {
    const user = await createUser(t);
    const [plan] = await t.db.query(
      `INSERT INTO plans (slug, name, daily_generations, daily_edits, daily_uploads, allowed_providers)
       VALUES ('race', 'Race', 10, 10, 10, '{local}') RETURNING id`,
    );
    await t.db.query('UPDATE users SET plan_id = $1 WHERE id = $2', [plan.id, user.id]);

    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => quotas.consume(user.id, 'generation')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(40);
    for (const { reason } of rejected) {
      expect(reason).toBeInstanceOf(ProblemException);
      expect(reason.code).toBe('quota_exceeded');
      expect(reason.getStatus()).toBe(429);
    }
    const [row] = await t.db.query(
      `SELECT used FROM quota_usage WHERE user_id = $1 AND kind = 'generation'`,
      [user.id],
    );
    expect(row.used).toBe(10);
  });

  it('answers 429 quota_exceeded with limit, use and reset time, and refunds', async () => {
    const user = await createUser(t);
    const limit = (await t.app.get(PlansService).planForUser(user.id)).dailyEdits;
    await quotas.consume(user.id, 'edit', limit);
    const error = await quotas.consume(user.id, 'edit').then(
      () => undefined,
      (e: ProblemException) => e,
    );
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(error?.problem.extensions).toEqual({
      kind: 'edit',
      limit,
      used: limit,
      resetsAt: tomorrow.toISOString(),
    });
    const retryAfter = Number(error?.problem.headers?.['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    // A larger request than what is left is refused whole, not partly granted.
    await quotas.refund(user.id, 'edit', 2);
    await expect(quotas.consume(user.id, 'edit', 3)).rejects.toThrow(ProblemException);
    await quotas.consume(user.id, 'edit', 2);
    // Refunds never go below zero.
    await quotas.refund(user.id, 'upload', 5);

    const report = await t.http.get('/api/v1/me/quota').set(user.auth).expect(200);
    expect(report.body).toMatchObject({
      plan: { slug: 'free', premium: false },
      resetsAt: tomorrow.toISOString(),
      usage: { edit: { limit, used: limit, remaining: 0 }, upload: { used: 0 } },
    });
  });
});
