import { imageBytes, upload } from './support/images';
import { submitJob, waitForJobEnd } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/**
 * Keyset pages stay whole when rows share a millisecond: PostgreSQL keeps microseconds, and a
 * cursor that kept only milliseconds skipped the rows created later in the same millisecond.
 */
describe('keyset pagination at microsecond precision', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(() => t.close());

  /** Gives the rows one millisecond, newest first by microseconds. */
  async function sameMillisecond(table: string, ids: string[]): Promise<void> {
    for (const [index, id] of ids.entries()) {
      await t.db.query(`UPDATE ${table} SET created_at = $1 WHERE id = $2`, [
        `2026-06-01T12:00:00.123${String(900 - index * 100)}Z`,
        id,
      ]);
    }
  }

  async function pageOneByOne(route: string, caller: TestUser = user): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get(route)
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(caller.auth)
        .expect(200);
      seen.push(...(res.body.items as { id: string }[]).map((item) => item.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor && seen.length < 10);
    return seen;
  }

  it('lists every user once to an administrator, one per page, when they share a millisecond', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const ids = (await Promise.all([1, 2, 3].map(() => createUser(t)))).map((u) => u.id);
    await sameMillisecond('users', ids);
    const seen = await pageOneByOne('/api/v1/admin/users', admin);
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM users');
    expect(seen).toHaveLength(count);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
  });

  it('lists every job once, one per page, when they share a millisecond', async () => {
    const ids: string[] = [];
    for (const prompt of ['a kite', 'a kettle', 'a kiln']) {
      const res = await submitJob(t, user, { type: 'generate', prompt, params: { size: '64x64' } });
      ids.push(res.body.id);
      await waitForJobEnd(t, user, res.body.id);
    }
    await sameMillisecond('jobs', ids);
    expect(await pageOneByOne('/api/v1/jobs')).toEqual(ids);
  });

  it('walks every documented list one item per page to its end, popular gallery included', async () => {
    const admin = await createUser(t, { role: 'admin' });
    for (const seed of [1, 2]) {
      const image = await upload(t, user, await imageBytes('png', 32, 24, seed)).expect(201);
      await t.http.post(`/api/v1/images/${image.body.id}/share`).set(user.auth).expect(200);
    }
    const other = await createUser(t);
    await t.http.post(`/api/v1/admin/users/${other.id}/deactivate`).set(admin.auth).expect(200);
    await t.http.post(`/api/v1/admin/users/${other.id}/reactivate`).set(admin.auth).expect(200);
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    const lists = Object.entries(doc.paths)
      .filter(([path, item]) => !path.includes('{') && item.get?.parameters?.some((p) => p.name === 'cursor'))
      .map(([path]) => path);
    const walked: Record<string, number> = {};
    for (const route of [...lists, '/api/v1/gallery?sort=popular']) {
      const caller = route.startsWith('/api/v1/admin/') ? admin : user;
      const seen = await pageOneByOne(route, caller);
      expect(new Set(seen).size).toBe(seen.length);
      walked[route] = seen.length;
    }
    // Lists with two or more items followed at least one cursor.
    expect(walked).toMatchObject({
      '/api/v1/gallery?sort=popular': 2,
      '/api/v1/admin/audit-log': 2,
      '/api/v1/workflows': 2,
    });
  });
});
