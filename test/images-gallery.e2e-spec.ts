import { DataSource } from 'typeorm';
import {
  Image,
  ImageIngestService,
  ImageModerationService,
  ImagesService,
  IngestInput,
} from '../libs/images/src';
import { ModerationDriver, ModerationService } from '../libs/moderation/src';
import { awaitImageJobs, imageBytes } from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

describe('images: gallery, search, pagination, sharing and reactions', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let seed = 0;

  beforeAll(async () => {
    t = await startTestApp({ FEATURES: 'images' });
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
  });
  afterAll(() => t.close());

  const ingest = async (owner: TestUser, extra: Partial<IngestInput> = {}): Promise<Image> =>
    t.app.get(ImageIngestService).ingest({
      ownerId: owner.id,
      buffer: await imageBytes('png', 16, 16, ++seed),
      source: 'generated',
      provider: 'local',
      ...extra,
    });
  /** Fixture shortcut: the moderation verdict and visibility set directly. */
  const setState = (ids: string[], moderation: string, isPublic = true) =>
    t.db.query(`UPDATE images SET moderation_state = $2, is_public = $3 WHERE id = ANY($1)`, [
      ids,
      moderation,
      isPublic,
    ]);
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

  describe('sharing', () => {
    it('shares only once moderation has cleared the image', async () => {
      const image = await ingest(alice, { prompt: 'to be shared' });
      await awaitImageJobs(t, image.id);
      await setState([image.id], 'pending', false);
      const pending = await t.http.post(`/api/v1/images/${image.id}/share`).set(alice.auth).expect(409);
      expect(pending.body).toMatchObject({ code: 'moderation_blocked', moderationState: 'pending' });
      await setState([image.id], 'flagged', false);
      await t.http.patch(`/api/v1/images/${image.id}`).set(alice.auth).send({ isPublic: true }).expect(409);

      await setState([image.id], 'skipped', false);
      const shared = await t.http.post(`/api/v1/images/${image.id}/share`).set(alice.auth).expect(200);
      expect(shared.body).toMatchObject({ isPublic: true, sharedAt: expect.any(String) });
      expect(ids(await t.http.get('/api/v1/gallery?q=shared').expect(200))).toEqual([image.id]);
      await t.http.delete(`/api/v1/images/${image.id}/share`).set(alice.auth).expect(200);
      expect(ids(await t.http.get('/api/v1/gallery?q=shared').expect(200))).toEqual([]);
    });

    it('moderation with the none driver marks new images skipped', async () => {
      const image = await ingest(alice);
      await awaitImageJobs(t, image.id);
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: image.id });
      expect(row.moderationState).toBe('skipped');
      expect(row.thumbnailKey).toMatch(new RegExp(`^users/${alice.id}/images/${image.id}/thumbnail\\.webp$`));
    });
  });

  describe('moderation verdicts', () => {
    const serviceWith = (driver: ModerationDriver) =>
      new ModerationService(
        driver,
        t.app.get(ImagesService),
        t.app.get(ImageModerationService),
        t.app.get(DataSource),
      );

    it('a flagged verdict records the labels and takes a shared image out of the gallery', async () => {
      const image = await ingest(alice, { prompt: 'borderline picture' });
      await awaitImageJobs(t, image.id);
      await setState([image.id], 'pending', true);
      const flagging = serviceWith({
        name: 'test-flagging',
        moderate: async (bytes) => {
          expect(bytes.subarray(1, 4).toString()).toBe('PNG');
          return {
            verdict: 'flagged',
            labels: [{ name: 'Violence', parentName: 'Graphic', confidence: 97.5 }],
          };
        },
      });
      expect(await flagging.moderateImage(image.id)).toMatchObject({ applied: true, verdict: 'flagged' });
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: image.id });
      expect(row).toMatchObject({ moderationState: 'flagged', isPublic: false, sharedAt: null });
      expect(row.moderationLabels).toEqual([{ name: 'Violence', parentName: 'Graphic', confidence: 97.5 }]);
      expect(ids(await t.http.get('/api/v1/gallery?q=borderline').expect(200))).toEqual([]);

      // A late duplicate delivery cannot overturn the decision.
      const lenient = serviceWith({
        name: 'test-safe',
        moderate: async () => ({ verdict: 'safe', labels: [] }),
      });
      expect(await lenient.moderateImage(image.id)).toEqual({ imageId: image.id, applied: false });
      expect((await t.db.getRepository(Image).findOneByOrFail({ id: image.id })).moderationState).toBe(
        'flagged',
      );
    });

    it('a driver failure propagates (Bull retries) and the image stays pending', async () => {
      const image = await ingest(alice, { prompt: 'unlucky picture' });
      await awaitImageJobs(t, image.id);
      await setState([image.id], 'pending', false);
      const failing = serviceWith({
        name: 'test-failing',
        moderate: async () => {
          throw new Error('ThrottlingException');
        },
      });
      await expect(failing.moderateImage(image.id)).rejects.toThrow('ThrottlingException');
      expect((await t.db.getRepository(Image).findOneByOrFail({ id: image.id })).moderationState).toBe(
        'pending',
      );
      await t.http.post(`/api/v1/images/${image.id}/share`).set(alice.auth).expect(409);
    });
  });

  describe('gallery', () => {
    let visible: string[];
    beforeAll(async () => {
      const make = (prompt: string, tags: string[] = []) => ingest(alice, { prompt, tags });
      const safe = await make('a lighthouse at dusk', ['ocean', 'Night']);
      const skipped = await make('a quiet lighthouse keeper', ['portrait']);
      const privateOne = await make('a private lighthouse');
      const flagged = await make('a flagged lighthouse');
      const pending = await make('a pending lighthouse');
      const deleted = await make('a deleted lighthouse');
      await setState([safe.id], 'safe');
      await setState([skipped.id], 'skipped');
      await setState([privateOne.id], 'safe', false);
      await setState([flagged.id], 'flagged');
      await setState([pending.id], 'pending');
      await setState([deleted.id], 'safe');
      await t.http.delete(`/api/v1/images/${deleted.id}`).set(alice.auth).expect(204);
      visible = [skipped.id, safe.id];
    });

    it('shows only public, undeleted images that moderation cleared, without a token', async () => {
      const res = await t.http.get('/api/v1/gallery?q=lighthouse').expect(200);
      expect(ids(res)).toEqual(visible);
      // A list item carries what the grid shows; the item route has the rest.
      expect(Object.keys(res.body.items[1]).sort()).toEqual(
        ['createdAt', 'favoritesCount', 'height', 'id', 'previewUrl', 'ratingAvg', 'title', 'width'].sort(),
      );
      const detail = await t.http.get(`/api/v1/gallery/${visible[1]}`).expect(200);
      expect(detail.body).toMatchObject({
        id: visible[1],
        tags: ['night', 'ocean'],
        contentUrl: expect.any(String),
      });
      expect(detail.body).not.toHaveProperty('params');
      expect(detail.body).not.toHaveProperty('moderationLabels');
    });

    it('shows one image in full only while it is in the gallery', async () => {
      const hidden = await ingest(alice, { prompt: 'never shared lighthouse' });
      await t.http.get(`/api/v1/gallery/${hidden.id}`).expect(404);
      await t.http.get(`/api/v1/gallery/${hidden.id}`).set(alice.auth).expect(404);
    });

    it('pages through one tag newest first, the same way as the whole gallery', async () => {
      const tagged: string[] = [];
      for (let i = 0; i < 5; i++) {
        const image = await ingest(bob, { prompt: `tagged harbour ${i}`, tags: ['Pier'] });
        tagged.push(image.id);
      }
      await setState(tagged, 'safe');
      await setState([tagged[2]], 'flagged');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get(`/api/v1/gallery?tag=pier&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        seen.push(...ids(res));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual([tagged[4], tagged[3], tagged[1], tagged[0]]);
    });

    it('searches prompt words and tags', async () => {
      expect(ids(await t.http.get('/api/v1/gallery?q=dusk').expect(200))).toEqual([visible[1]]);
      expect(ids(await t.http.get('/api/v1/gallery?q=LIGHTHOUSE%20keeper').expect(200))).toEqual([
        visible[0],
      ]);
      expect(ids(await t.http.get('/api/v1/gallery?q=ocean').expect(200))).toEqual([visible[1]]);
      expect(ids(await t.http.get('/api/v1/gallery?tag=Portrait').expect(200))).toEqual([visible[0]]);
      expect(ids(await t.http.get('/api/v1/gallery?tag=ocean&q=keeper').expect(200))).toEqual([]);
      // LIKE wildcards in the query are literal characters, not "match anything".
      expect(ids(await t.http.get('/api/v1/gallery?q=%25').expect(200))).toEqual([]);
      expect(ids(await t.http.get('/api/v1/gallery?q=_').expect(200))).toEqual([]);
    });

    it('sorts by popularity (favorites)', async () => {
      const [, safe] = visible;
      await t.http.put(`/api/v1/images/${safe}/favorite`).set(bob.auth).expect(200);
      const res = await t.http.get('/api/v1/gallery?q=lighthouse&sort=popular').expect(200);
      expect(ids(res)).toEqual([safe, visible[0]]);
      await t.http.delete(`/api/v1/images/${safe}/favorite`).set(bob.auth).expect(200);
    });
  });

  describe('keyset pagination', () => {
    it('returns every row exactly once while rows are inserted between pages (gallery and library)', async () => {
      const owner = await createUser(t);
      const initial: string[] = [];
      for (let i = 0; i < 23; i++) initial.push((await ingest(owner, { prompt: `paged scene ${i}` })).id);
      await setState(initial, 'skipped');

      for (const [path, auth] of [
        ['/api/v1/gallery?q=paged&limit=5', {}],
        ['/api/v1/images?limit=5', owner.auth],
      ] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url: string = `${path}${cursor ? `&cursor=${cursor}` : ''}`;
          const res = await t.http.get(url).set(auth).expect(200);
          seen.push(...ids(res));
          cursor = res.body.nextCursor as string | null;
          pages++;
          const added = await ingest(owner, { prompt: `paged newcomer ${pages}` });
          await setState([added.id], 'skipped');
        } while (cursor && pages < 20);
        expect(seen).toHaveLength(new Set(seen).size);
        // Newest first; rows added meanwhile are newer than the cursor, so they never push old ones twice.
        expect(seen.filter((id) => initial.includes(id))).toEqual([...initial].reverse());
      }
      await t.http.get('/api/v1/gallery?cursor=not-a-cursor').expect(400);
    });
  });

  describe('favorites and ratings', () => {
    let publicImage: Image;
    beforeAll(async () => {
      publicImage = await ingest(alice, { prompt: 'rated picture' });
      await setState([publicImage.id], 'safe');
    });

    it('keeps the rating average exact under concurrent ratings and re-ratings', async () => {
      const raters = await Promise.all(Array.from({ length: 8 }, () => createUser(t)));
      const scores = [5, 4, 3, 5, 1, 2, 4, 5];
      await Promise.all(
        raters.map((u, i) =>
          t.http
            .put(`/api/v1/images/${publicImage.id}/rating`)
            .set(u.auth)
            .send({ score: scores[i] })
            .expect(200),
        ),
      );
      const expectAverage = async (values: number[]) => {
        const image = await t.http.get(`/api/v1/images/${publicImage.id}`).set(alice.auth).expect(200);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        expect(image.body.ratingCount).toBe(values.length);
        expect(image.body.ratingAvg).toBeCloseTo(mean, 2);
      };
      await expectAverage(scores);

      const rescored = scores.map((s) => 6 - s);
      await Promise.all(
        raters.map((u, i) =>
          t.http
            .put(`/api/v1/images/${publicImage.id}/rating`)
            .set(u.auth)
            .send({ score: rescored[i], comment: 'changed my mind' })
            .expect(200),
        ),
      );
      await expectAverage(rescored);
      await t.http
        .put(`/api/v1/images/${publicImage.id}/rating`)
        .set(bob.auth)
        .send({ score: 6 })
        .expect(400);
      await t.http.put(`/api/v1/images/${publicImage.id}/rating`).send({ score: 3 }).expect(401);
    });

    it('counts concurrent favorites once per user and lists them', async () => {
      const fans = await Promise.all(Array.from({ length: 6 }, () => createUser(t)));
      await Promise.all(
        [...fans, ...fans].map((u) =>
          t.http.put(`/api/v1/images/${publicImage.id}/favorite`).set(u.auth).expect(200),
        ),
      );
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: publicImage.id });
      expect(row.favoritesCount).toBe(6);
      const res = await t.http
        .delete(`/api/v1/images/${publicImage.id}/favorite`)
        .set(fans[0].auth)
        .expect(200);
      expect(res.body).toEqual({ favorited: false, favoritesCount: 5 });

      const mine = await ingest(fans[1], { prompt: 'my own' });
      await t.http.put(`/api/v1/images/${mine.id}/favorite`).set(fans[1].auth).expect(200);
      const favorites = await t.http.get('/api/v1/images?favorite=true').set(fans[1].auth).expect(200);
      expect(ids(favorites)).toEqual([mine.id]);
    });
  });
});
