import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/test-app';
import { submitJob, waitForJobEnd } from './support/jobs';
import { createUser, fakeClientIp, TestUser } from './support/users';

jest.setTimeout(60_000);

interface AuditView {
  actorId: string;
  action: string;
  targetUserId: string;
  details: Record<string, unknown>;
  createdAt: string;
}

describe('admin: user management and audit log', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  const auditFor = async (targetUserId: string): Promise<AuditView[]> =>
    (await t.http.get('/api/v1/admin/audit-log').query({ targetUserId }).set(admin.auth).expect(200)).body
      .items;
  const signIn = (user: TestUser) =>
    t.http
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', fakeClientIp())
      .send({ login: user.email, password: user.password });

  it('refuses every admin route to normal users (403) and anonymous callers (401), whatever the id', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const routes = (id: string) => [
      t.http.get('/api/v1/admin/users'),
      t.http.get('/api/v1/admin/users').query({ q: other.email }),
      t.http.get(`/api/v1/admin/users/${id}`),
      t.http.patch(`/api/v1/admin/users/${id}`).send({ role: 'admin' }),
      t.http.post(`/api/v1/admin/users/${id}/deactivate`),
      t.http.post(`/api/v1/admin/users/${id}/reactivate`),
      t.http.delete(`/api/v1/admin/users/${id}`),
      t.http.put(`/api/v1/users/${id}/plan`).send({ planId: randomUUID() }),
      t.http.get('/api/v1/admin/audit-log'),
    ];
    const answers = [];
    for (const id of [other.id, user.id, randomUUID()]) {
      const bodies = [];
      for (const call of routes(id)) {
        const res = await call.set(user.auth);
        const { instance, ...body } = res.body as Record<string, unknown>;
        expect({ instance, status: res.status, code: body.code }).toMatchObject({
          status: 403,
          code: 'admin_only',
        });
        bodies.push(body);
      }
      answers.push(bodies);
      for (const call of routes(id)) expect((await call).status).toBe(401);
    }
    // An existing user, the caller and an unknown id get the same answer: nothing is confirmed.
    expect(answers[0]).toEqual(answers[2]);
    expect(answers[1]).toEqual(answers[2]);
    const self = await t.http.patch(`/api/v1/admin/users/${user.id}`).set(user.auth).send({ role: 'admin' });
    expect(self.status).toBe(403);
    const me = await t.http.get('/api/v1/me').set(user.auth).expect(200);
    expect(me.body.role).toBe('user');
    expect(await t.db.query('SELECT count(*)::int AS n FROM admin_audit_log')).toEqual([{ n: 0 }]);
  });

  it('lists and searches users by email, username, role, plan and status, page by page', async () => {
    const tag = randomUUID().slice(0, 8);
    const premium = await createUser(t, { username: `pat_${tag}`, planSlug: 'premium' });
    const plain = await createUser(t, { email: `sam_${tag}@Example.test` });
    const third = await createUser(t, { username: `zed_${tag}` });

    const all = await t.http
      .get('/api/v1/admin/users')
      .query({ q: tag, limit: 2 })
      .set(admin.auth)
      .expect(200);
    expect(all.body.items.map((u: { id: string }) => u.id)).toEqual([third.id, plain.id]);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await t.http
      .get('/api/v1/admin/users')
      .query({ q: tag, limit: 2, cursor: all.body.nextCursor })
      .set(admin.auth)
      .expect(200);
    expect(next.body).toEqual({ items: [expect.objectContaining({ id: premium.id })], nextCursor: null });
    expect(next.body.items[0]).toMatchObject({
      email: premium.email,
      username: `pat_${tag}`,
      role: 'user',
      status: 'active',
      emailVerified: true,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(all.body)).not.toMatch(/password|hash/i);

    const byEmail = await t.http
      .get('/api/v1/admin/users')
      .query({ q: `SAM_${tag}@` })
      .set(admin.auth)
      .expect(200);
    expect(byEmail.body.items.map((u: { id: string }) => u.id)).toEqual([plain.id]);
    // LIKE wildcards in the search are literal characters.
    const wildcard = await t.http.get('/api/v1/admin/users').query({ q: '%' }).set(admin.auth).expect(200);
    expect(wildcard.body.items).toEqual([]);

    const [premiumPlan] = await t.db.query(`SELECT id FROM plans WHERE slug = 'premium'`);
    const onPremium = await t.http
      .get('/api/v1/admin/users')
      .query({ q: tag, planId: premiumPlan.id })
      .set(admin.auth)
      .expect(200);
    expect(onPremium.body.items.map((u: { id: string }) => u.id)).toEqual([premium.id]);
    const admins = await t.http
      .get('/api/v1/admin/users')
      .query({ role: 'admin' })
      .set(admin.auth)
      .expect(200);
    expect(admins.body.items.map((u: { id: string }) => u.id)).toContain(admin.id);
    expect(admins.body.items.every((u: { role: string }) => u.role === 'admin')).toBe(true);

    const bad = await t.http
      .get('/api/v1/admin/users')
      .query({ status: 'zombie' })
      .set(admin.auth)
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    const badCursor = await t.http.get('/api/v1/admin/users').query({ cursor: 'nope' }).set(admin.auth);
    expect(badCursor.status).toBe(400);
  });

  it('shows one user with their quota use and how many images and jobs they have', async () => {
    const user = await createUser(t);
    const submitted = await submitJob(t, user, { type: 'generate', prompt: 'a lighthouse at dusk' });
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, user, submitted.body.id);
    expect(job.status).toBe('succeeded');

    const res = await t.http.get(`/api/v1/admin/users/${user.id}`).set(admin.auth).expect(200);
    expect(res.body).toMatchObject({
      id: user.id,
      email: user.email,
      usage: {
        quota: { plan: { slug: 'free' }, usage: { generation: { used: 1 } } },
        counts: { jobs: 1, images: job.resultImageIds.length },
      },
    });
    await t.http.get(`/api/v1/admin/users/${randomUUID()}`).set(admin.auth).expect(404);
    await t.http.get('/api/v1/admin/users/not-a-uuid').set(admin.auth).expect(400);
  });

  it('changes role and plan, ends the sessions on a role change, and records both', async () => {
    const user = await createUser(t);
    const [premiumPlan] = await t.db.query(`SELECT id FROM plans WHERE slug = 'premium'`);
    const changed = await t.http
      .patch(`/api/v1/admin/users/${user.id}`)
      .set(admin.auth)
      .send({ role: 'admin', planId: premiumPlan.id })
      .expect(200);
    expect(changed.body).toMatchObject({ role: 'admin', planId: premiumPlan.id });
    const refresh = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken });
    expect(refresh.status).toBe(401);
    const relogged = await signIn(user).expect(200);
    expect(relogged.body.user.role).toBe('admin');

    const unknownPlan = await t.http
      .patch(`/api/v1/admin/users/${user.id}`)
      .set(admin.auth)
      .send({ planId: randomUUID() })
      .expect(404);
    expect(unknownPlan.body.code).toBe('plan_not_found');
    const badRole = await t.http
      .patch(`/api/v1/admin/users/${user.id}`)
      .set(admin.auth)
      .send({ role: 'root' })
      .expect(400);
    expect(badRole.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    const demoteSelf = await t.http
      .patch(`/api/v1/admin/users/${admin.id}`)
      .set(admin.auth)
      .send({ role: 'user' })
      .expect(409);
    expect(demoteSelf.body.code).toBe('admin_self_change');

    // The older plan route goes through the same audited change.
    const [freePlan] = await t.db.query(`SELECT id FROM plans WHERE slug = 'free'`);
    await t.http
      .put(`/api/v1/users/${user.id}/plan`)
      .set(admin.auth)
      .send({ planId: freePlan.id })
      .expect(200);

    const trail = await auditFor(user.id);
    expect(trail.map((e) => [e.action, e.details])).toEqual([
      ['user.plan_changed', { from: premiumPlan.id, to: freePlan.id, slug: 'free' }],
      ['user.role_changed', { from: 'user', to: 'admin' }],
      ['user.plan_changed', { from: freePlan.id, to: premiumPlan.id, slug: 'premium' }],
    ]);
    expect(trail.every((e) => e.actorId === admin.id && e.targetUserId === user.id)).toBe(true);
  });

  it('deactivates (sign-in refused with a clear code, sessions revoked) and reactivates', async () => {
    const user = await createUser(t);
    const res = await t.http.post(`/api/v1/admin/users/${user.id}/deactivate`).set(admin.auth).expect(200);
    expect(res.body).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });

    const refused = await signIn(user).expect(403);
    expect(refused.body).toMatchObject({ code: 'account_deactivated', status: 403 });
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    const revoked = await t.db.query(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
      [user.id],
    );
    expect(revoked).toEqual([{ n: 0 }]);
    const listed = await t.http
      .get('/api/v1/admin/users')
      .query({ q: user.username, status: 'deactivated' })
      .set(admin.auth)
      .expect(200);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([user.id]);
    // A wrong password still gets the one answer strangers get.
    const wrong = await t.http
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', fakeClientIp())
      .send({ login: user.email, password: 'not-the-password' })
      .expect(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    const self = await t.http.post(`/api/v1/admin/users/${admin.id}/deactivate`).set(admin.auth).expect(409);
    expect(self.body.code).toBe('admin_self_change');

    await t.http.post(`/api/v1/admin/users/${user.id}/reactivate`).set(admin.auth).expect(200);
    await signIn(user).expect(200);
    expect((await auditFor(user.id)).map((e) => e.action)).toEqual(['user.reactivated', 'user.deactivated']);
  });

  it('deletes a user with the same erasure as DELETE /me', async () => {
    const user = await createUser(t);
    await t.http.delete(`/api/v1/admin/users/${user.id}`).set(admin.auth).expect(204);

    await signIn(user).expect(401);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    await t.http.get(`/api/v1/admin/users/${user.id}`).set(admin.auth).expect(404);
    await t.http.delete(`/api/v1/admin/users/${user.id}`).set(admin.auth).expect(404);
    const [row] = await t.db.query('SELECT email, username, deleted_at FROM users WHERE id = $1', [user.id]);
    expect(row).toMatchObject({
      email: `deleted-${user.id}@deleted.invalid`,
      username: `deleted-${user.id}`,
      deleted_at: expect.any(Date),
    });
    const trail = await auditFor(user.id);
    expect(trail).toEqual([
      expect.objectContaining({ action: 'user.deleted', actorId: admin.id, targetUserId: user.id }),
    ]);
    expect(JSON.stringify(trail)).not.toContain(user.email);
  });

  it('pages through the audit log, newest first', async () => {
    const first = await t.http.get('/api/v1/admin/audit-log').query({ limit: 2 }).set(admin.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await t.http
      .get('/api/v1/admin/audit-log')
      .query({ limit: 100, cursor: first.body.nextCursor })
      .set(admin.auth)
      .expect(200);
    const entries: AuditView[] = [...first.body.items, ...rest.body.items];
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM admin_audit_log');
    expect(entries).toHaveLength(n);
    const times = entries.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(entries[0]).toMatchObject({ action: 'user.deleted', actorId: admin.id });
  });
});
