import { DataSource } from 'typeorm';
import { dataSourceOptions, parseEnv, prepareDatabase } from '../libs/core/src';
import { ENTITIES } from '../config/entities';
import { runSeeds } from '../seeds/run-seeds';
import { STYLE_CATALOG } from '../seeds/styles.seed';
import { createScratchDatabase } from './support/database';
import { startTestApp, type TestApp } from './support/test-app';
import { login } from './support/users';

const count = async (db: DataSource, table: string): Promise<number> =>
  (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

describe('reference data on every start', () => {
  let t: TestApp;
  const admin = { email: 'root@example.test', password: 'Root-pass-7781-xyz' };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a fresh database gets plans, styles, models, workflows and the first administrator at boot', async () => {
    expect(await count(t.db, 'plans')).toBe(2);
    expect(await count(t.db, 'styles')).toBe(STYLE_CATALOG.styles.length);
    expect(await count(t.db, 'models')).toBeGreaterThan(0);
    expect(await count(t.db, 'workflows')).toBeGreaterThan(0);
    expect(await count(t.db, 'plan_workflows')).toBeGreaterThan(0);
    const tokens = await login(t, admin.email, admin.password);
    const me = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${tokens.accessToken}`);
    expect(me.body).toMatchObject({ role: 'admin', emailVerified: true });
  });

  it("a restart inserts what is missing and keeps an administrator's changes; --reset restores the shipped rows", async () => {
    const env = parseEnv(t.env);
    await t.db.query(`UPDATE plans SET name = 'Gratis', daily_generations = 3 WHERE slug = 'free'`);
    await t.db.query(`UPDATE styles SET description = 'Ours' WHERE slug = 'anime'`);
    await t.db.query(`DELETE FROM plan_workflows`);
    await t.db.query(`DELETE FROM plans WHERE slug = 'premium'`);
    await t.db.query(`UPDATE users SET password_hash = 'changed' WHERE email = $1`, [admin.email]);

    await runSeeds(t.db, env);
    const plans = await t.db.query(`SELECT slug, name, daily_generations FROM plans ORDER BY slug`);
    expect(plans).toEqual([
      { slug: 'free', name: 'Gratis', daily_generations: 3 },
      { slug: 'premium', name: 'Premium', daily_generations: 500 },
    ]);
    expect((await t.db.query(`SELECT description FROM styles WHERE slug = 'anime'`))[0].description).toBe(
      'Ours',
    );
    expect(await count(t.db, 'plan_workflows')).toBe(0);
    const [user] = await t.db.query(`SELECT password_hash FROM users WHERE email = $1`, [admin.email]);
    expect(user.password_hash).toBe('changed');

    await runSeeds(t.db, env, 'reset');
    const [free] = await t.db.query(`SELECT name, daily_generations FROM plans WHERE slug = 'free'`);
    expect(free).toEqual({ name: 'Free', daily_generations: 20 });
    expect((await t.db.query(`SELECT description FROM styles WHERE slug = 'anime'`))[0].description).not.toBe(
      'Ours',
    );
    expect(await count(t.db, 'plan_workflows')).toBeGreaterThan(0);
    await login(t, admin.email, admin.password);
  });

  it('adds the examples the styles JSON lists to a style that has none, once', async () => {
    const style = STYLE_CATALOG.styles[0];
    const shipped = style.examples;
    style.examples = [{ afterImageUrl: 'https://cdn.example.test/after.png', caption: 'After' }];
    try {
      await t.db.query(`DELETE FROM style_examples`);
      await runSeeds(t.db, parseEnv(t.env));
      await runSeeds(t.db, parseEnv(t.env));
      const res = await t.http.get(`/api/v1/styles/${style.slug}/examples`);
      expect(res.status).toBe(200);
      const items = Array.isArray(res.body) ? res.body : res.body.items;
      expect(items).toEqual([
        expect.objectContaining({ afterImageUrl: 'https://cdn.example.test/after.png', caption: 'After' }),
      ]);
    } finally {
      style.examples = shipped;
    }
  });

  it('two processes preparing one fresh database at once both succeed and write each row once', async () => {
    const database = await createScratchDatabase();
    const sources = [0, 1].map(() => new DataSource(dataSourceOptions(database.url, ENTITIES)));
    try {
      await Promise.all(sources.map((source) => source.initialize()));
      const env = parseEnv(t.env);
      await Promise.all(
        sources.map((source) => prepareDatabase(source, { migrate: true, seed: (db) => runSeeds(db, env) })),
      );
      expect(await count(sources[0], 'plans')).toBe(2);
      expect(await count(sources[0], 'workflows')).toBe(await count(t.db, 'workflows'));
      expect(await count(sources[0], "users WHERE role = 'admin'")).toBe(1);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
      await database.drop();
    }
  });
});
