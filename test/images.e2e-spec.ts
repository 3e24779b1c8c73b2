import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import sharp from 'sharp';
import { QueueName } from '../libs/core/src';
import { Image, ImageIngestService, imageJobId } from '../libs/images/src';
import { STORAGE_DRIVER, type StorageDriver } from '../libs/storage/src';
import {
  awaitImageJobs,
  awaitJob,
  filesUnder,
  imageBytes,
  pathOf,
  pngDeclaring,
  upload,
} from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

const MAX_UPLOAD_BYTES = 300_000;

describe('images: uploads and the library (local storage)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp({
      FEATURES: 'images',
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      MAX_UPLOAD_PIXELS: '10000000',
    });
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
  });
  afterAll(() => t.close());

  const imageCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM images'))[0].n);
  const uploadsUsed = async (userId: string) =>
    Number(
      (
        await t.db.query(
          `SELECT coalesce(sum(used), 0) AS n FROM quota_usage WHERE user_id = $1 AND kind = 'upload'`,
          [userId],
        )
      )[0].n,
    );

  describe('upload', () => {
    it.each([
      ['png', 'image/png'],
      ['jpeg', 'image/jpeg'],
      ['webp', 'image/webp'],
      ['gif', 'image/gif'],
    ] as const)('accepts %s, stores it, and makes a thumbnail', async (format, mime) => {
      const res = await upload(t, alice, await imageBytes(format, 1024, 600), `pic.${format}`).expect(201);
      expect(res.body).toMatchObject({
        mime,
        width: 1024,
        height: 600,
        source: 'upload',
        status: 'generated',
      });
      expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
      await awaitImageJobs(t, res.body.id);

      const after = await t.http.get(`/api/v1/images/${res.body.id}`).set(alice.auth).expect(200);
      expect(after.body.moderationState).toBe('skipped');
      expect(after.body.thumbnailUrl).toEqual(expect.any(String));
      const thumb = await t.http
        .get(`/api/v1/images/${res.body.id}/content?variant=thumbnail`)
        .set(alice.auth)
        .responseType('blob')
        .expect(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      const meta = await sharp(thumb.body as Buffer).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 512, 300]);
    });

    it('applies the EXIF orientation and strips EXIF (GPS included)', async () => {
      const tagged = await sharp(await imageBytes('jpeg', 40, 20))
        .withExif({
          IFD0: { Copyright: 'secret-location' },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1' },
        })
        .withMetadata({ orientation: 6 })
        .jpeg()
        .toBuffer();
      expect((await sharp(tagged).metadata()).exif).toBeDefined();
      const res = await upload(t, alice, tagged, 'rotated.jpg').expect(201);
      expect([res.body.width, res.body.height]).toEqual([20, 40]);
      const content = await t.http
        .get(`/api/v1/images/${res.body.id}/content`)
        .set(alice.auth)
        .responseType('blob')
        .expect(200);
      const meta = await sharp(content.body as Buffer).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect((content.body as Buffer).includes(Buffer.from('secret-location'))).toBe(false);
      // Leave no thumbnail half-written: the next test compares the files on disk.
      await awaitImageJobs(t, res.body.id);
    });

    it('sniffs the bytes: a text file named .png is 415 and leaves nothing', async () => {
      const before = {
        rows: await imageCount(),
        files: await filesUnder(t.storageDir),
        used: await uploadsUsed(alice.id),
      };
      const res = await upload(
        t,
        alice,
        Buffer.from('just some text, not an image\n'.repeat(20)),
        'evil.png',
      ).expect(415);
      expect(res.body).toMatchObject({ code: 'unsupported_media_type' });
      expect(await imageCount()).toBe(before.rows);
      expect(await filesUnder(t.storageDir)).toEqual(before.files);
      expect(await uploadsUsed(alice.id)).toBe(before.used);
    });

    it('rejects a file over MAX_UPLOAD_BYTES with 413', async () => {
      const big = Buffer.concat([await imageBytes('png'), Buffer.alloc(MAX_UPLOAD_BYTES, 1)]);
      const res = await upload(t, alice, big, 'big.png').expect(413);
      expect(res.body).toMatchObject({ code: 'file_too_large', maxBytes: MAX_UPLOAD_BYTES });
    });

    it('rejects a decompression bomb (tiny file, 20000×20000 declared) with 413', async () => {
      const bomb = pngDeclaring(20000, 20000);
      expect(bomb.length).toBeLessThan(40_000);
      const before = await imageCount();
      const res = await upload(t, alice, bomb, 'bomb.png').expect(413);
      expect(res.body).toMatchObject({ code: 'image_too_large' });
      expect(await imageCount()).toBe(before);
    });

    it('answers 400 to a corrupt image and leaves no row, no file and no quota used', async () => {
      const valid = await imageBytes('png', 200, 200);
      const before = {
        rows: await imageCount(),
        files: await filesUnder(t.storageDir),
        used: await uploadsUsed(alice.id),
      };
      const res = await upload(
        t,
        alice,
        valid.subarray(0, Math.floor(valid.length * 0.6)),
        'broken.png',
      ).expect(400);
      expect(res.body).toMatchObject({ code: 'corrupt_image' });
      expect(await imageCount()).toBe(before.rows);
      expect(await filesUnder(t.storageDir)).toEqual(before.files);
      expect(await uploadsUsed(alice.id)).toBe(before.used);
    });

    it('counts uploads against the quota and answers 429 when it is used up', async () => {
      const carol = await createUser(t);
      await t.db.query(
        `INSERT INTO quota_usage (user_id, day, kind, used) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, 'upload', 50)`,
        [carol.id],
      );
      const res = await upload(t, carol, await imageBytes('png')).expect(429);
      expect(res.body.code).toBe('quota_exceeded');
    });

    it('requires a verified email, and a file', async () => {
      const unverified = await createUser(t, { verified: false });
      await upload(t, unverified, await imageBytes('png')).expect(403);
      const missing = await t.http
        .post('/api/v1/images')
        .set(alice.auth)
        .field('title', 'no file')
        .expect(400);
      expect(missing.body.code).toBe('file_missing');
      await t.http
        .post('/api/v1/images')
        .attach('file', await imageBytes('png'), 'a.png')
        .expect(401);
    });

    it('takes title, folder and tags from the form, normalising tags', async () => {
      const folder = await t.http.post('/api/v1/folders').set(alice.auth).send({ name: 'Trips' }).expect(201);
      const res = await upload(t, alice, await imageBytes('png'), 'a.png', {
        title: 'Harbour',
        folderId: folder.body.id,
        tags: ['  Sea ', 'sea', 'Boats'],
      }).expect(201);
      expect(res.body).toMatchObject({ title: 'Harbour', folderId: folder.body.id, tags: ['boats', 'sea'] });
      const bad = await upload(t, alice, await imageBytes('png'), 'a.png', { ownerId: bob.id }).expect(400);
      expect(bad.body.code).toBe('validation_failed');
    });
  });

  describe('access control', () => {
    let privateId: string;
    beforeAll(async () => {
      privateId = (await upload(t, alice, await imageBytes('png'), 'mine.png').expect(201)).body.id;
      await awaitImageJobs(t, privateId);
    });

    it("hides another user's private image behind 404 on every route (BOLA)", async () => {
      const base = `/api/v1/images/${privateId}`;
      const attempts: [string, string, object?][] = [
        ['get', base],
        ['patch', base, { title: 'pwned' }],
        ['delete', base],
        ['post', `${base}/share`],
        ['delete', `${base}/share`],
        ['post', `${base}/validate`, { action: 'validate' }],
        ['put', `${base}/favorite`],
        ['delete', `${base}/favorite`],
        ['put', `${base}/rating`, { score: 1 }],
        ['get', `${base}/content`],
        ['get', `${base}/content?download=1`],
      ];
      for (const [method, path, body] of attempts) {
        const res = await t.http[method as 'get'](path).set(bob.auth).send(body);
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 404, 'image_not_found']);
      }
      await t.http.get(`${base}/content`).expect(404);
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: privateId });
      expect(row).toMatchObject({
        title: null,
        isPublic: false,
        status: 'generated',
        favoritesCount: 0,
        ratingCount: 0,
      });
      expect(row.deletedAt).toBeNull();
    });

    it('rejects mass assignment: only title, folderId, tags and isPublic can be patched', async () => {
      for (const body of [
        { ownerId: bob.id },
        { status: 'validated' },
        { favoritesCount: 1000 },
        { moderationState: 'safe' },
      ]) {
        const res = await t.http.patch(`/api/v1/images/${privateId}`).set(alice.auth).send(body).expect(400);
        expect(res.body.code).toBe('validation_failed');
      }
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: privateId });
      expect(row).toMatchObject({ ownerId: alice.id, status: 'generated', favoritesCount: 0 });
    });

    it('serves public images anonymously, counts downloads and names the attachment', async () => {
      await t.http
        .patch(`/api/v1/images/${privateId}`)
        .set(alice.auth)
        .send({ title: 'Sea view', isPublic: true })
        .expect(200);
      const res = await t.http
        .get(`/api/v1/images/${privateId}/content?download=1`)
        .responseType('blob')
        .expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="Sea-view.png"; filename*=UTF-8''Sea-view.png`,
      );
      expect((await sharp(res.body as Buffer).metadata()).format).toBe('png');
      const image = await t.http.get(`/api/v1/images/${privateId}`).set(alice.auth).expect(200);
      expect(image.body.downloadsCount).toBe(1);
      await t.http.delete(`/api/v1/images/${privateId}/share`).set(alice.auth).expect(200);
      await t.http.get(`/api/v1/images/${privateId}/content`).expect(404);
    });
  });

  describe('signed URLs (local driver)', () => {
    let image: { id: string; contentUrl: string };
    beforeAll(async () => {
      const res = await upload(t, alice, await imageBytes('webp'), 'signed.webp').expect(201);
      image = res.body;
    });

    it('serve the file without a token until they expire', async () => {
      const res = await t.http.get(pathOf(image.contentUrl)).responseType('blob').expect(200);
      expect(res.headers['content-type']).toBe('image/webp');
      expect((await sharp(res.body as Buffer).metadata()).format).toBe('webp');
    });

    it('refuse a tampered signature, key or expiry with 403 invalid_signature', async () => {
      const url = new URL(image.contentUrl);
      const sig = url.searchParams.get('sig') as string;
      const variants = [
        (u: URL) => u.searchParams.set('sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`),
        (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600)),
        (u: URL) => (u.pathname = u.pathname.replace('original.webp', 'thumbnail.webp')),
        (u: URL) => u.searchParams.set('download', 'other.webp'),
      ];
      for (const tamper of variants) {
        const changed = new URL(image.contentUrl);
        tamper(changed);
        const res = await t.http.get(pathOf(changed.toString())).expect(403);
        expect(res.body.code).toBe('invalid_signature');
      }
    });

    it('refuse an expired URL with 403 signed_url_expired', async () => {
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: image.id });
      const driver = t.app.get<StorageDriver>(STORAGE_DRIVER);
      const expired = await driver.signedUrl(row.originalKey, { expiresInSeconds: -1 });
      const res = await t.http.get(pathOf(expired)).expect(403);
      expect(res.body.code).toBe('signed_url_expired');
    });
  });

  describe('editing, deleting and validating', () => {
    it('edits title and tags, lists tags with counts', async () => {
      const dave = await createUser(t);
      const a = (await upload(t, dave, await imageBytes('png'), 'a.png', { tags: ['cat'] }).expect(201)).body;
      await upload(t, dave, await imageBytes('png'), 'b.png', { tags: ['cat', 'dog'] }).expect(201);
      const patched = await t.http
        .patch(`/api/v1/images/${a.id}`)
        .set(dave.auth)
        .send({ title: 'Tom', tags: ['Cat', 'Garden '] })
        .expect(200);
      expect(patched.body).toMatchObject({ title: 'Tom', tags: ['cat', 'garden'] });
      const tags = await t.http.get('/api/v1/tags').set(dave.auth).expect(200);
      expect(tags.body.items).toEqual([
        { tag: 'cat', count: 2 },
        { tag: 'dog', count: 1 },
        { tag: 'garden', count: 1 },
      ]);
      const found = await t.http.get('/api/v1/images?q=tom garden').set(dave.auth).expect(200);
      expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([a.id]);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const dated = await t.http
        .get(`/api/v1/images?tag=cat&createdTo=${tomorrow}&source=upload`)
        .set(dave.auth);
      expect(dated.body.items).toHaveLength(2);
      const future = await t.http.get(`/api/v1/images?createdFrom=${tomorrow}`).set(dave.auth).expect(200);
      expect(future.body.items).toEqual([]);
      await t.http.get('/api/v1/images?source=scanned').set(dave.auth).expect(400);
    });

    it('soft-deletes and removes the stored objects in the background', async () => {
      const res = await upload(t, alice, await imageBytes('png'), 'gone.png').expect(201);
      await awaitImageJobs(t, res.body.id);
      const row = await t.db.getRepository(Image).findOneByOrFail({ id: res.body.id });
      const keys = [row.originalKey, row.thumbnailKey as string];
      expect((await filesUnder(t.storageDir)).filter((f) => keys.includes(f))).toHaveLength(2);

      await t.http.delete(`/api/v1/images/${res.body.id}`).set(alice.auth).expect(204);
      await t.http.get(`/api/v1/images/${res.body.id}`).set(alice.auth).expect(404);
      await awaitJob(t.app.get<Queue>(getQueueToken(QueueName.Media)), imageJobId.purge(res.body.id));
      expect((await filesUnder(t.storageDir)).filter((f) => keys.includes(f))).toEqual([]);
      const deleted = await t.db
        .getRepository(Image)
        .findOne({ where: { id: res.body.id }, withDeleted: true });
      expect(deleted?.deletedAt).toBeInstanceOf(Date);
    });

    it('moves generated → validated | rejected and refuses anything else with 409', async () => {
      const first = (await upload(t, alice, await imageBytes('png')).expect(201)).body.id;
      const second = (await upload(t, alice, await imageBytes('png')).expect(201)).body.id;
      const validated = await t.http
        .post(`/api/v1/images/${first}/validate`)
        .set(alice.auth)
        .send({ action: 'validate', notes: 'looks good' })
        .expect(200);
      expect(validated.body).toMatchObject({ status: 'validated', validationNotes: 'looks good' });
      const again = await t.http
        .post(`/api/v1/images/${first}/validate`)
        .set(alice.auth)
        .send({ action: 'reject' })
        .expect(409);
      expect(again.body).toMatchObject({ code: 'illegal_transition', from: 'validated', to: 'rejected' });
      await t.http
        .post(`/api/v1/images/${second}/validate`)
        .set(alice.auth)
        .send({ action: 'reject' })
        .expect(200);
      await t.http
        .post(`/api/v1/images/${second}/validate`)
        .set(alice.auth)
        .send({ action: 'nope' })
        .expect(400);

      const rejected = await t.http.get('/api/v1/images?status=rejected').set(alice.auth).expect(200);
      expect(rejected.body.items.map((i: { id: string }) => i.id)).toEqual([second]);
    });
  });

  describe('folders', () => {
    it('creates the default folder lazily, keeps names unique, and rehomes images of a deleted folder', async () => {
      const erin = await createUser(t);
      const listed = await t.http.get('/api/v1/folders').set(erin.auth).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ name: 'Default', isDefault: true })]);
      const defaultId = listed.body.items[0].id;

      const trips = await t.http.post('/api/v1/folders').set(erin.auth).send({ name: 'Trips' }).expect(201);
      const dup = await t.http.post('/api/v1/folders').set(erin.auth).send({ name: 'Trips' }).expect(409);
      expect(dup.body.code).toBe('folder_name_taken');
      await t.http.post('/api/v1/folders').set(alice.auth).send({ name: 'Trips' }).expect(409); // alice made one earlier
      await t.http.get(`/api/v1/folders/${trips.body.id}`).set(bob.auth).expect(404);

      const inTrips = (
        await upload(t, erin, await imageBytes('png'), 'x.png', { folderId: trips.body.id }).expect(201)
      ).body;
      const loose = (await upload(t, erin, await imageBytes('png'), 'y.png').expect(201)).body;
      expect(loose.folderId).toBe(defaultId);
      await upload(t, erin, await imageBytes('png'), 'z.png', {
        folderId: (await otherFolder(t, bob)).id,
      }).expect(404);

      await t.http.delete(`/api/v1/folders/${trips.body.id}`).set(erin.auth).expect(204);
      const moved = await t.http.get(`/api/v1/images/${inTrips.id}`).set(erin.auth).expect(200);
      expect(moved.body.folderId).toBe(defaultId);
      const locked = await t.http.delete(`/api/v1/folders/${defaultId}`).set(erin.auth).expect(409);
      expect(locked.body.code).toBe('default_folder_locked');
      const inDefault = await t.http.get(`/api/v1/images?folderId=${defaultId}`).set(erin.auth).expect(200);
      expect(inDefault.body.items).toHaveLength(2);
    });

    it('finds one of your folders by its exact name; anyone else gets 404', async () => {
      const fay = await createUser(t);
      const made = await t.http
        .post('/api/v1/folders')
        .set(fay.auth)
        .send({ name: 'Summer 2026 / Beach' })
        .expect(201);
      const byName = (name: string, user = fay) =>
        t.http.get('/api/v1/folders/by-name').query({ name }).set(user.auth);

      expect((await byName('Summer 2026 / Beach').expect(200)).body).toEqual(made.body);
      expect((await byName('Default').expect(200)).body).toMatchObject({ isDefault: true });
      expect((await byName('summer 2026 / beach').expect(404)).body.code).toBe('folder_not_found');
      expect((await byName('Summer 2026 / Beach', bob).expect(404)).body.code).toBe('folder_not_found');
      const longest = 'é'.repeat(100);
      await t.http.post('/api/v1/folders').set(fay.auth).send({ name: longest }).expect(201);
      expect((await byName(longest).expect(200)).body.name).toBe(longest);
      for (const bad of ['x'.repeat(101), '']) {
        const refused = await byName(bad).expect(400);
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
      }
      await t.http.get('/api/v1/folders/by-name?name=Default').expect(401);
    });
  });

  describe('ingest (used by generation jobs)', () => {
    it('is idempotent on (jobId, jobIndex), makes the thumbnail at once and validates like an upload', async () => {
      const ingest = t.app.get(ImageIngestService);
      const jobId = '6f1c1b0e-2a52-4d2c-9a59-0c3a3c1f7a11';
      const buffer = await imageBytes('png', 32, 32);
      const input = {
        ownerId: alice.id,
        buffer,
        source: 'generated' as const,
        jobId,
        jobIndex: 0,
        prompt: 'a red fox',
        thumbnailNow: true,
      };
      const [first, second] = await Promise.all([ingest.ingest(input), ingest.ingest(input)]);
      expect(second.id).toBe(first.id);
      const other = await ingest.ingest({ ...input, jobIndex: 1 });
      expect(other.id).not.toBe(first.id);
      const rows = await t.db.query('SELECT count(*) AS n FROM images WHERE job_id = $1', [jobId]);
      expect(Number(rows[0].n)).toBe(2);
      const originals = (await filesUnder(t.storageDir)).filter(
        (f) => f.endsWith('original.png') && f.includes(alice.id),
      );
      expect(originals.filter((f) => f.includes(first.id) || f.includes(other.id))).toHaveLength(2);
      // The delivery that lost the race removed its thumbnail along with its original.
      const stored = await filesUnder(t.storageDir);
      for (const image of [first, other]) {
        expect(stored).toContain(image.thumbnailKey);
        expect(stored).toContain(image.originalKey);
      }
      const imageIds = new Set(
        stored.filter((f) => f.startsWith(`users/${alice.id}/images/`)).map((f) => f.split('/').at(-2)),
      );
      const known: { id: string }[] = await t.db.query('SELECT id FROM images WHERE id = ANY($1)', [
        [...imageIds],
      ]);
      expect(known).toHaveLength(imageIds.size);
      await expect(
        ingest.ingest({ ...input, jobIndex: 2, buffer: Buffer.from('nope') }),
      ).rejects.toMatchObject({
        code: 'unsupported_media_type',
      });
    });
  });

  it('documents every route in the OpenAPI document, the upload as multipart', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/images',
        '/api/v1/images/stats',
        '/api/v1/images/{id}',
        '/api/v1/images/{id}/content',
        '/api/v1/images/{id}/share',
        '/api/v1/images/{id}/validate',
        '/api/v1/images/{id}/favorite',
        '/api/v1/images/{id}/rating',
        '/api/v1/folders',
        '/api/v1/folders/{id}',
        '/api/v1/tags',
        '/api/v1/gallery',
      ]),
    );
    expect(Object.keys(doc.body.paths['/api/v1/images'].post.requestBody.content)).toEqual([
      'multipart/form-data',
    ]);
  });

  it('reports stats for the caller', async () => {
    const res = await t.http.get('/api/v1/images/stats').set(alice.auth).expect(200);
    expect(res.body.total).toBeGreaterThan(5);
    expect(res.body.bySource.upload).toBeGreaterThan(0);
    expect(res.body.byStatus.validated).toBe(1);
    expect(res.body.storageBytes).toBeGreaterThan(0);
    expect(res.body.perDay).toEqual([{ day: new Date().toISOString().slice(0, 10), count: res.body.total }]);
  });
});

async function otherFolder(t: TestApp, user: TestUser): Promise<{ id: string }> {
  const res = await t.http
    .post('/api/v1/folders')
    .set(user.auth)
    .send({ name: `f-${Date.now()}` })
    .expect(201);
  return res.body;
}
