import { awaitImageJobs, imageBytes, pathOf, upload } from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

const IMMUTABLE = /^private, max-age=(\d+), immutable$/;

describe('HTTP manners', () => {
  let t: TestApp;
  let alice: TestUser;
  let image: { id: string; contentUrl: string };
  beforeAll(async () => {
    t = await startTestApp();
    alice = await createUser(t);
    image = (await upload(t, alice, await imageBytes('png')).expect(201)).body;
    await awaitImageJobs(t, image.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('415 for a body in a media type the route does not take', () => {
    const expectUnsupported = (res: { status: number; headers: Record<string, string>; body: unknown }) => {
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    };

    it('text/plain to a JSON route names the content-type field and what the route takes', async () => {
      const res = await t.http
        .patch(`/api/v1/images/${image.id}`)
        .set(alice.auth)
        .set('content-type', 'text/plain')
        .send('title=hello');
      expectUnsupported(res);
      expect(res.body).toMatchObject({
        errors: [{ field: 'content-type', message: 'must be application/json' }],
        accepted: ['application/json'],
      });
    });

    it('XML to a JSON route', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/xml')
        .send('<login><login>a</login><password>b</password></login>');
      expectUnsupported(res);
      expect(res.body).toMatchObject({ detail: 'This route takes application/json, not application/xml.' });
      const untyped = await t.http
        .patch(`/api/v1/images/${image.id}`)
        .set(alice.auth)
        .set('content-type', '')
        .send(Buffer.from('{"title":"no type"}'));
      expectUnsupported(untyped);
    });

    it('multipart to a JSON route', async () => {
      const res = await t.http.patch(`/api/v1/images/${image.id}`).set(alice.auth).field('title', 'hello');
      expectUnsupported(res);
    });

    it('JSON to the upload route, which takes multipart', async () => {
      const res = await t.http.post('/api/v1/images').set(alice.auth).send({ file: 'aGVsbG8=' });
      expectUnsupported(res);
      expect(res.body).toMatchObject({ accepted: ['multipart/form-data'] });
    });

    it('accepts JSON with a charset parameter, and bodiless requests with any content type', async () => {
      await t.http
        .patch(`/api/v1/images/${image.id}`)
        .set(alice.auth)
        .set('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ title: 'Charset is fine' }))
        .expect(200);
      await t.http.put(`/api/v1/images/${image.id}/favorite`).set(alice.auth).expect(200);
    });
  });

  describe('ETag and immutable caching of image bytes', () => {
    it('GET images/:id/content: ETag, private immutable caching, 304 on If-None-Match', async () => {
      const path = `/api/v1/images/${image.id}/content`;
      const first = await t.http.get(path).set(alice.auth).responseType('blob').expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers['cache-control']).toMatch(IMMUTABLE);
      const again = await t.http.get(path).set(alice.auth).set('if-none-match', etag).expect(304);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
      expect(again.body).toEqual({});
      const listed = await t.http
        .get(path)
        .set(alice.auth)
        .set('if-none-match', `"other", W/${etag}`)
        .expect(304);
      expect(listed.headers.etag).toBe(etag);
      const stale = await t.http
        .get(path)
        .set(alice.auth)
        .set('if-none-match', '"other"')
        .responseType('blob');
      expect(stale.status).toBe(200);
      expect((stale.body as Buffer).length).toBe(Number(first.headers['content-length']));
    });

    it('the thumbnail has its own ETag; the original standing in for a missing one is revalidated', async () => {
      const path = `/api/v1/images/${image.id}/content`;
      const original = await t.http.get(path).set(alice.auth).responseType('blob').expect(200);
      const thumbnail = await t.http.get(`${path}?variant=thumbnail`).set(alice.auth).responseType('blob');
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers['content-type']).toBe('image/webp');
      expect(thumbnail.headers['cache-control']).toMatch(IMMUTABLE);
      expect(thumbnail.headers.etag).not.toBe(original.headers.etag);
      await t.http
        .get(`${path}?variant=thumbnail`)
        .set(alice.auth)
        .set('if-none-match', thumbnail.headers.etag)
        .expect(304);

      // As between upload and the thumbnail job: the original answers, but must not be kept.
      await t.db.query('UPDATE images SET thumbnail_key = NULL WHERE id = $1', [image.id]);
      const standIn = await t.http.get(`${path}?variant=thumbnail`).set(alice.auth).responseType('blob');
      expect(standIn.headers.etag).toBe(original.headers.etag);
      expect(standIn.headers['cache-control']).toBe('private, no-cache');
    });

    it('the signed file route: same ETag, cached no longer than the URL lives, 304 on If-None-Match', async () => {
      const signed = await t.http.get(pathOf(image.contentUrl)).responseType('blob').expect(200);
      const direct = await t.http
        .get(`/api/v1/images/${image.id}/content`)
        .set(alice.auth)
        .responseType('blob');
      expect(signed.headers.etag).toBe(direct.headers.etag);
      const [, maxAge] = IMMUTABLE.exec(signed.headers['cache-control']) ?? [];
      const expires = Number(new URL(image.contentUrl).searchParams.get('expires'));
      expect(Number(maxAge)).toBeGreaterThan(0);
      expect(Number(maxAge)).toBeLessThanOrEqual(expires - Math.floor(Date.now() / 1000) + 1);
      const again = await t.http
        .get(pathOf(image.contentUrl))
        .set('if-none-match', signed.headers.etag)
        .expect(304);
      expect(again.headers.etag).toBe(signed.headers.etag);
    });

    it('documents the 304 of both routes in the OpenAPI document', async () => {
      const { paths } = (await t.http.get('/docs-json').expect(200)).body;
      expect(paths['/api/v1/images/{id}/content'].get.responses).toHaveProperty('304');
      const files = Object.entries(paths).find(([path]) => path.startsWith('/api/v1/files/'));
      expect((files?.[1] as { get: { responses: object } }).get.responses).toHaveProperty('304');
    });

    it('never answers 304 for someone else’s private image: it is a 404 first', async () => {
      const bob = await createUser(t);
      const mine = await t.http
        .get(`/api/v1/images/${image.id}/content`)
        .set(alice.auth)
        .responseType('blob');
      await t.http
        .get(`/api/v1/images/${image.id}/content`)
        .set(bob.auth)
        .set('if-none-match', mine.headers.etag)
        .expect(404);
    });
  });
});
