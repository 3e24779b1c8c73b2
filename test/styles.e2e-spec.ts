import sharp from 'sharp';
import { PlansService } from '@atelier/users';
import { StylesService } from '@atelier/styles';
import { parseEnv } from '../libs/core/src';
import { stylesSeeder } from '../seeds/styles.seed';
import { createUser, TestUser } from './support/users';
import { startTestApp, TestApp } from './support/test-app';

const API = '/api/v1';

describe('styles catalogue', () => {
  let t: TestApp;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ FEATURES: 'styles' });
    [admin, user] = await Promise.all([createUser(t, { role: 'admin' }), createUser(t)]);
  });
  afterAll(() => t.close());

  async function createCategory(name: string): Promise<{ id: string; slug: string }> {
    const res = await t.http.post(`${API}/styles/categories`).set(admin.auth).send({ name }).expect(201);
    return res.body;
  }

  async function createStyle(categoryId: string, overrides: Record<string, unknown> = {}) {
    const name = `Style ${Math.random().toString(36).slice(2, 8)}`;
    const res = await t.http
      .post(`${API}/styles`)
      .set(admin.auth)
      .send({ categoryId, name, promptTemplate: '{prompt}, in {style_name} style', ...overrides })
      .expect(201);
    return res.body as { id: string; slug: string; name: string };
  }

  describe('browsing the seeded catalogue', () => {
    it('lists categories in their display order', async () => {
      const res = await t.http.get(`${API}/styles/categories`).expect(200);
      const slugs = res.body.items.map((c: { slug: string }) => c.slug);
      expect(slugs.slice(0, 5)).toEqual(['anime', 'cartoon', 'painting', 'photography', '3d']);
      expect(res.body.items[0]).toMatchObject({ name: 'Anime', icon: expect.any(String), color: /^#/ });
    });

    it('filters by category slug, premium flag and words, A to Z', async () => {
      const anime = await t.http.get(`${API}/styles`).query({ category: 'anime' }).expect(200);
      expect(anime.body.items.length).toBeGreaterThanOrEqual(3);
      expect(anime.body.items.every((s: { category: { slug: string } }) => s.category.slug === 'anime')).toBe(
        true,
      );
      const names = anime.body.items.map((s: { name: string }) => s.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : 1)));

      const premium = await t.http.get(`${API}/styles`).query({ premium: 'true', limit: 100 }).expect(200);
      expect(premium.body.items.length).toBeGreaterThan(0);
      expect(premium.body.items.every((s: { premium: boolean }) => s.premium)).toBe(true);

      const found = await t.http.get(`${API}/styles`).query({ q: 'INK wash' }).expect(200);
      expect(found.body.items.map((s: { slug: string }) => s.slug)).toEqual(['ink-wash']);
      // LIKE wildcards in the search are taken literally.
      const literal = await t.http.get(`${API}/styles`).query({ q: '%' }).expect(200);
      expect(literal.body.items).toEqual([]);
    });

    it('pages through every active style without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await t.http
          .get(`${API}/styles`)
          .query({ limit: 7, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((s: { id: string }) => s.id));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM styles WHERE active');
      expect(seen).toHaveLength(count);
      expect(new Set(seen).size).toBe(count);
      expect(count).toBeGreaterThanOrEqual(20);
    });

    it('reads one style by id or slug, with its category and defaults', async () => {
      const bySlug = await t.http.get(`${API}/styles/pixel-art`).expect(200);
      expect(bySlug.body).toMatchObject({
        slug: 'pixel-art',
        category: { slug: 'retro' },
        promptTemplate: expect.stringContaining('{prompt}'),
        defaultOutputFormat: 'png',
        imageOperations: expect.arrayContaining([expect.objectContaining({ op: 'posterize' })]),
      });
      await t.http.get(`${API}/styles/${bySlug.body.id}`).expect(200, bySlug.body);
      const missing = await t.http.get(`${API}/styles/00000000-0000-4000-8000-000000000000`).expect(404);
      expect(missing.body.code).toBe('style_not_found');
    });
  });

  describe('administration', () => {
    it('is for administrators only', async () => {
      await t.http.post(`${API}/styles/categories`).send({ name: 'Nope' }).expect(401);
      const forbidden = await t.http.post(`${API}/styles/categories`).set(user.auth).send({ name: 'Nope' });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('admin_only');
      const anime = (await t.http.get(`${API}/styles/anime`)).body;
      await t.http.patch(`${API}/styles/${anime.id}`).set(user.auth).send({ premium: true }).expect(403);
      await t.http.delete(`${API}/styles/${anime.id}`).set(user.auth).expect(403);
    });

    it('refuses a template without {prompt}, naming promptTemplate', async () => {
      const category = await createCategory('Template Checks');
      const res = await t.http
        .post(`${API}/styles`)
        .set(admin.auth)
        .send({ categoryId: category.id, name: 'Broken', promptTemplate: 'a {style_name} picture' })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual([
        { field: 'promptTemplate', message: expect.stringContaining('{prompt}') },
      ]);

      const unknown = await t.http
        .post(`${API}/styles`)
        .set(admin.auth)
        .send({ categoryId: category.id, name: 'Broken', promptTemplate: '{prompt} {colour}' })
        .expect(400);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'promptTemplate' });

      const style = await createStyle(category.id);
      const patch = await t.http
        .patch(`${API}/styles/${style.id}`)
        .set(admin.auth)
        .send({ promptTemplate: 'no placeholder' })
        .expect(400);
      expect(patch.body.errors[0].field).toBe('promptTemplate');
    });

    it('validates fields and slugs', async () => {
      const category = await createCategory('Field Checks');
      const bad = await t.http
        .post(`${API}/styles`)
        .set(admin.auth)
        .send({
          categoryId: category.id,
          name: 'X',
          promptTemplate: '{prompt}',
          defaultSize: '9x9',
          slug: 'Bad Slug',
        })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['defaultSize', 'slug']);
      const noCategory = await t.http
        .post(`${API}/styles`)
        .set(admin.auth)
        .send({ categoryId: '00000000-0000-4000-8000-000000000000', name: 'X', promptTemplate: '{prompt}' })
        .expect(400);
      expect(noCategory.body.errors[0].field).toBe('categoryId');
      const taken = await t.http
        .post(`${API}/styles`)
        .set(admin.auth)
        .send({ categoryId: category.id, name: 'Anime', promptTemplate: '{prompt}' })
        .expect(409);
      expect(taken.body.code).toBe('style_slug_taken');
    });

    it('creates, updates, deactivates and deletes styles, categories and examples', async () => {
      const category = await createCategory('Admin Story');
      expect(category.slug).toBe('admin-story');
      const style = await createStyle(category.id, {
        description: 'Bold and bright',
        premium: true,
        imageOperations: [{ op: 'posterize', levels: 4 }],
        providerHints: { openai: { input_fidelity: 'high' } },
      });
      expect(style).toMatchObject({
        premium: true,
        category: { id: category.id },
        ratingAvg: 0,
        usageCount: 0,
      });

      const moved = await createCategory('Admin Story Two');
      const patched = await t.http
        .patch(`${API}/styles/${style.id}`)
        .set(admin.auth)
        .send({ categoryId: moved.id, defaultQuality: 'high' })
        .expect(200);
      expect(patched.body).toMatchObject({
        categoryId: moved.id,
        category: { slug: 'admin-story-two' },
        defaultQuality: 'high',
      });

      const example = await t.http
        .post(`${API}/styles/${style.id}/examples`)
        .set(admin.auth)
        .send({
          beforeImageUrl: 'https://cdn.example.test/before.png',
          afterImageUrl: 'https://cdn.example.test/after.png',
          caption: 'Before and after',
        })
        .expect(201);
      await t.http
        .post(`${API}/styles/${style.id}/examples`)
        .set(admin.auth)
        .send({ caption: 'no images' })
        .expect(400);
      await t.http
        .patch(`${API}/styles/${style.id}/examples/${example.body.id}`)
        .set(admin.auth)
        .send({ caption: 'Updated' })
        .expect(200);
      const examples = await t.http.get(`${API}/styles/${style.slug}/examples`).expect(200);
      expect(examples.body.items).toEqual([
        expect.objectContaining({ caption: 'Updated', afterImageUrl: 'https://cdn.example.test/after.png' }),
      ]);

      const emptied = await t.http.delete(`${API}/styles/categories/${moved.id}`).set(admin.auth).expect(409);
      expect(emptied.body.code).toBe('style_category_not_empty');

      await t.http.patch(`${API}/styles/${style.id}`).set(admin.auth).send({ active: false }).expect(200);
      await t.http.get(`${API}/styles/${style.id}`).expect(404);
      const listed = await t.http.get(`${API}/styles`).query({ category: moved.slug }).expect(200);
      expect(listed.body.items).toEqual([]);

      await t.http
        .delete(`${API}/styles/${style.id}/examples/${example.body.id}`)
        .set(admin.auth)
        .expect(204);
      await t.http.delete(`${API}/styles/${style.id}`).set(admin.auth).expect(204);
      await t.http.delete(`${API}/styles/${style.id}`).set(admin.auth).expect(404);
      await t.http.delete(`${API}/styles/categories/${moved.id}`).set(admin.auth).expect(204);
      const [{ count }] = await t.db.query(
        'SELECT count(*)::int AS count FROM style_examples WHERE style_id = $1',
        [style.id],
      );
      expect(count).toBe(0);
    });
  });

  describe('for jobs (StylesService)', () => {
    it('renders the template around the prompt without expanding the user text', async () => {
      const styles = t.app.get(StylesService);
      const plan = await t.app.get(PlansService).planForUser(user.id);
      const anime = (await t.http.get(`${API}/styles/anime`)).body;
      const resolved = await styles.resolveForJob(user.id, anime.id, plan);
      expect(resolved.style.id).toBe(anime.id);
      expect(resolved.renderPrompt('a cat on a {style_name} roof')).toBe(
        'a cat on a {style_name} roof, Anime style, cel shading, clean line art, vibrant colors, expressive eyes, detailed background',
      );
      expect(resolved.operations).toEqual(anime.imageOperations);
    });

    it('refuses premium styles on plans without premium, and unknown or inactive styles', async () => {
      const styles = t.app.get(StylesService);
      const plans = t.app.get(PlansService);
      const premiumUser = await createUser(t, { planSlug: 'premium' });
      const premiumStyle = (await t.http.get(`${API}/styles/art-deco`)).body;
      expect(premiumStyle.premium).toBe(true);

      await expect(
        styles.resolveForJob(user.id, premiumStyle.id, await plans.planForUser(user.id)),
      ).rejects.toMatchObject({ code: 'plan_forbids', status: 403 });
      const resolved = await styles.resolveForJob(
        premiumUser.id,
        premiumStyle.id,
        await plans.planForUser(premiumUser.id),
      );
      expect(resolved.renderPrompt('a lobby')).toContain('a lobby, art deco poster');

      await expect(
        styles.resolveForJob(user.id, '00000000-0000-4000-8000-000000000000', { premium: true }),
      ).rejects.toMatchObject({ code: 'style_not_found', status: 404 });
      const category = await createCategory('Retired');
      const retired = await createStyle(category.id, { active: false });
      await expect(styles.resolveForJob(user.id, retired.id, { premium: true })).rejects.toMatchObject({
        code: 'style_not_found',
      });
    });
  });

  it('does not fail a finished job when its style was deleted meanwhile', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(t.app.get(StylesService).recordUse(user.id, missing)).resolves.toBeUndefined();
    const rows = await t.db.query('SELECT 1 FROM user_style_preferences WHERE style_id = $1', [missing]);
    expect(rows).toEqual([]);
  });

  it('seeds before/after examples that decode as images, once, next to an admin’s own', async () => {
    const anime = await t.http.get(`${API}/styles/anime/examples`).expect(200);
    expect(anime.body.items).toEqual([
      expect.objectContaining({
        caption: 'a lighthouse on a cliff at dusk',
        beforeImageUrl: expect.stringMatching(/^data:image\/webp;base64,/),
        afterImageUrl: expect.stringMatching(/^data:image\/webp;base64,/),
      }),
    ]);
    const pixels = async (url: string) =>
      sharp(Buffer.from(url.split(',')[1], 'base64'))
        .raw()
        .toBuffer({ resolveWithObject: true });
    const [before, after] = await Promise.all([
      pixels(anime.body.items[0].beforeImageUrl),
      pixels(anime.body.items[0].afterImageUrl),
    ]);
    expect([before.info.width, before.info.height, after.info.width]).toEqual([96, 72, 96]);
    expect(before.data.equals(after.data)).toBe(false); // the style's operations changed the picture

    const watercolor = (await t.http.get(`${API}/styles/watercolor`)).body;
    await t.http
      .post(`${API}/styles/${watercolor.id}/examples`)
      .set(admin.auth)
      .send({ afterImageUrl: 'https://example.com/after.png', caption: 'mine' })
      .expect(201);
    await stylesSeeder.run(t.db, parseEnv(t.env));
    await stylesSeeder.run(t.db, parseEnv(t.env));
    const captions = async (slug: string) =>
      (await t.http.get(`${API}/styles/${slug}/examples`).expect(200)).body.items.map(
        (e: { caption: string }) => e.caption,
      );
    expect(await captions('anime')).toEqual(['a lighthouse on a cliff at dusk']);
    // Both have sort order 0, and ties are ordered by (random) id: compare as a set.
    expect((await captions('watercolor')).sort()).toEqual(['a meadow with a lone tree', 'mine']);
  });

  it("re-seeds idempotently, keeping usage, ratings and an admin's deactivation", async () => {
    const oil = (await t.http.get(`${API}/styles/oil-painting`)).body;
    await t.app.get(StylesService).recordUse(user.id, oil.id);
    await t.http.put(`${API}/styles/${oil.id}/rating`).set(user.auth).send({ score: 4 }).expect(200);
    await t.http.patch(`${API}/styles/${oil.id}`).set(admin.auth).send({ active: false }).expect(200);
    const count = async () => (await t.db.query('SELECT count(*)::int AS n FROM styles'))[0].n;
    const before = await count();

    await stylesSeeder.run(t.db, parseEnv(t.env));

    expect(await count()).toBe(before);
    const [row] = await t.db.query('SELECT usage_count, rating_count, active FROM styles WHERE id = $1', [
      oil.id,
    ]);
    expect(row).toEqual({ usage_count: oil.usageCount + 1, rating_count: 1, active: false });
    await t.http.patch(`${API}/styles/${oil.id}`).set(admin.auth).send({ active: true }).expect(200);
  });

  describe('favourites, use and preferences', () => {
    it('keeps favourites and counted uses in the preference list', async () => {
      const me = await createUser(t);
      const styles = t.app.get(StylesService);
      const [watercolor, manga] = await Promise.all(
        ['watercolor', 'manga'].map(async (slug) => (await t.http.get(`${API}/styles/${slug}`)).body),
      );
      await t.http.put(`${API}/styles/${watercolor.id}/favorite`).set(me.auth).expect(204);
      await t.http.put(`${API}/styles/${watercolor.id}/favorite`).set(me.auth).expect(204);
      await Promise.all([styles.recordUse(me.id, manga.id), styles.recordUse(me.id, manga.id)]);

      const prefs = await t.http.get(`${API}/me/style-preferences`).set(me.auth).expect(200);
      expect(prefs.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            styleId: watercolor.id,
            favorite: true,
            usageCount: 0,
            lastUsedAt: null,
          }),
          expect.objectContaining({
            styleId: manga.id,
            favorite: false,
            usageCount: 2,
            lastUsedAt: expect.any(String),
          }),
        ]),
      );
      expect((await t.http.get(`${API}/styles/${manga.id}`)).body.usageCount).toBe(manga.usageCount + 2);

      const first = await t.http
        .get(`${API}/me/style-preferences`)
        .query({ limit: 1 })
        .set(me.auth)
        .expect(200);
      expect(first.body.items).toHaveLength(1);
      const second = await t.http
        .get(`${API}/me/style-preferences`)
        .query({ limit: 1, cursor: first.body.nextCursor })
        .set(me.auth)
        .expect(200);
      expect(
        [...first.body.items, ...second.body.items].map((p: { styleId: string }) => p.styleId).sort(),
      ).toEqual([watercolor.id, manga.id].sort());
      expect(second.body.nextCursor).toBeNull();
      const forged = Buffer.from(JSON.stringify({ v: '2026-01-01T00:00:00Z', id: 'x' })).toString(
        'base64url',
      );
      const bad = await t.http
        .get(`${API}/me/style-preferences`)
        .query({ cursor: forged })
        .set(me.auth)
        .expect(400);
      expect(bad.body.errors[0].field).toBe('cursor');

      const favourites = await t.http
        .get(`${API}/me/style-preferences`)
        .query({ favorite: 'true' })
        .set(me.auth)
        .expect(200);
      expect(favourites.body.items.map((p: { styleId: string }) => p.styleId)).toEqual([watercolor.id]);

      await t.http.delete(`${API}/styles/${watercolor.id}/favorite`).set(me.auth).expect(204);
      const after = await t.http.get(`${API}/me/style-preferences`).query({ favorite: 'true' }).set(me.auth);
      expect(after.body.items).toEqual([]);
      await t.http.get(`${API}/me/style-preferences`).expect(401);
      await t.http.put(`${API}/styles/not-a-uuid/favorite`).set(me.auth).expect(404);
    });
  });

  describe('popular and ratings', () => {
    it('ranks styles by recent users weighted by rating', async () => {
      const category = await createCategory('Popularity');
      const [a, b, c, stale] = await Promise.all([1, 2, 3, 4].map(() => createStyle(category.id)));
      const people = await Promise.all(Array.from({ length: 5 }, () => createUser(t)));
      const styles = t.app.get(StylesService);
      const use = (style: { id: string }, count: number) =>
        Promise.all(people.slice(0, count).map((p) => styles.recordUse(p.id, style.id)));
      const rate = (style: { id: string }, count: number, score: number) =>
        Promise.all(
          people
            .slice(0, count)
            .map((p) =>
              t.http.put(`${API}/styles/${style.id}/rating`).set(p.auth).send({ score }).expect(200),
            ),
        );
      // a: 3 recent users, unrated; b: 2 users who rate it 1; c: 2 users who rate it 5;
      // stale: 5 users, but more than 30 days ago.
      await Promise.all([use(a, 3), use(b, 2), use(c, 2), use(stale, 5)]);
      await Promise.all([rate(b, 2, 1), rate(c, 2, 5)]);
      await t.db.query(
        `UPDATE user_style_preferences SET last_used_at = now() - interval '40 days' WHERE style_id = $1`,
        [stale.id],
      );

      const res = await t.http.get(`${API}/styles/popular`).query({ limit: 50 }).expect(200);
      const ids = res.body.items.map((s: { id: string }) => s.id);
      expect(ids.slice(0, 3)).toEqual([a.id, c.id, b.id]);
      expect(res.body.items[0]).toMatchObject({ recentUsers: 3, popularity: 1.8 });
      const staleEntry = res.body.items.find((s: { id: string }) => s.id === stale.id);
      expect(staleEntry).toMatchObject({ recentUsers: 0, popularity: 0, usageCount: 5 });
    });

    it('keeps the average and count exact under 20 concurrent ratings', async () => {
      const category = await createCategory('Ratings');
      const style = await createStyle(category.id);
      const raters = await Promise.all(Array.from({ length: 20 }, () => createUser(t)));
      const scores = raters.map((_, i) => (i % 5) + 1);
      const answers = await Promise.all(
        raters.map((r, i) =>
          t.http
            .put(`${API}/styles/${style.id}/rating`)
            .set(r.auth)
            .send({ score: scores[i], comment: `vote ${i}` }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(raters.map(() => 200));
      const expectedAvg = scores.reduce((sum, s) => sum + s, 0) / scores.length;
      const after = (await t.http.get(`${API}/styles/${style.id}`).expect(200)).body;
      expect(after).toMatchObject({ ratingCount: 20, ratingAvg: expectedAvg });
      // The last answer saw every rating before it: counts in the answers are 1..20 in some order.
      expect(answers.map((a) => a.body.ratingCount).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );

      // Re-rating replaces the user's score: the count stays, the average moves.
      const again = await t.http
        .put(`${API}/styles/${style.id}/rating`)
        .set(raters[0].auth)
        .send({ score: 5 })
        .expect(200);
      expect(again.body).toMatchObject({
        score: 5,
        ratingCount: 20,
        ratingAvg: expectedAvg + (5 - scores[0]) / 20,
      });
    });

    it('validates scores and needs a verified account', async () => {
      const anime = (await t.http.get(`${API}/styles/anime`)).body;
      const bad = await t.http
        .put(`${API}/styles/${anime.id}/rating`)
        .set(user.auth)
        .send({ score: 6 })
        .expect(400);
      expect(bad.body.errors[0].field).toBe('score');
      const unverified = await createUser(t, { verified: false });
      const refused = await t.http
        .put(`${API}/styles/${anime.id}/rating`)
        .set(unverified.auth)
        .send({ score: 4 });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('email_not_verified');
    });
  });
});
