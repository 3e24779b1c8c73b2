import { imageBytes, upload } from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, fakeClientIp, TestUser } from './support/users';

jest.setTimeout(120_000);

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** Cursors an attacker can forge: each decodes, but none was issued by the API. */
const FORGED_CURSORS = [
  'garbage',
  b64({ v: '2026-01-01T00:00:00.000Z', id: 'not-a-uuid' }),
  b64({ v: 5.5, id: SOME_ID }),
  b64({ v: 'a\u0000b', id: SOME_ID }),
  b64({ v: { nested: true }, id: SOME_ID }),
  b64({ v: 1e308, id: SOME_ID }),
  b64(['array']),
  b64(null),
];
/** Forged for the routes sorted by a time (all but the style catalog, sorted by name). */
const FORGED_TIME_CURSORS = [
  b64({ v: 'not-a-date', id: SOME_ID }),
  b64({ v: '10000-01-01T00:00:00.000Z', id: SOME_ID }),
  b64({ v: 5, id: SOME_ID }),
];
const SORTED_BY_NAME = new Set(['/api/v1/styles']);

describe('bad input is a 4xx naming the field, never a 5xx', () => {
  let t: TestApp;
  let user: TestUser;
  let admin: TestUser;
  let listRoutes: string[];

  beforeAll(async () => {
    t = await startTestApp();
    [user, admin] = await Promise.all([createUser(t), createUser(t, { role: 'admin' })]);
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
    };
    // Every list route the document declares: those with a `cursor` query parameter.
    listRoutes = Object.entries(doc.paths)
      .filter(([path, item]) => !path.includes('{') && item.get?.parameters?.some((p) => p.name === 'cursor'))
      .map(([path]) => path);
  });
  afterAll(() => t.close());

  function expectFieldProblem(res: { status: number; body: Problem }, field: string, status = 400) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code: 'validation_failed' });
    expect(res.body.errors?.map((e) => e.field)).toContain(field);
  }

  it('answers a forged cursor on every list route, the anonymous gallery included, with 400 naming cursor', async () => {
    expect(listRoutes).toEqual(expect.arrayContaining(['/api/v1/gallery', '/api/v1/images', '/api/v1/jobs']));
    const answers: string[] = [];
    for (const route of listRoutes) {
      const forged = SORTED_BY_NAME.has(route) ? FORGED_CURSORS : [...FORGED_CURSORS, ...FORGED_TIME_CURSORS];
      for (const cursor of forged) {
        const caller = route.startsWith('/api/v1/admin/') ? admin : user;
        const res = await t.http.get(route).query({ cursor }).set(caller.auth);
        const fields = (res.body as Problem).errors?.map((e) => e.field) ?? [];
        if (res.status !== 400 || !fields.includes('cursor'))
          answers.push(`${route} ${cursor} -> ${res.status}`);
      }
    }
    const popular = await t.http
      .get('/api/v1/gallery')
      .query({ sort: 'popular', cursor: FORGED_TIME_CURSORS[0] });
    expectFieldProblem(popular, 'cursor');
    expect(answers).toEqual([]);
  });

  it('refuses NUL bytes in body, query and path values with 400 naming the field', async () => {
    const ip = fakeClientIp();
    const cases = [
      { res: await t.http.get('/api/v1/gallery').query({ q: 'cat\u0000' }), field: 'q' },
      { res: await t.http.get('/api/v1/gallery').query({ tag: '\u0000' }), field: 'tag' },
      { res: await t.http.get('/api/v1/images').query({ q: 'a\u0000' }).set(user.auth), field: 'q' },
      {
        res: await t.http
          .post('/api/v1/auth/login')
          .set('x-forwarded-for', ip)
          .send({ login: 'a\u0000', password: 'x' }),
        field: 'login',
      },
      { res: await t.http.post('/api/v1/folders').set(user.auth).send({ name: 'f\u0000' }), field: 'name' },
      {
        res: await t.http
          .post('/api/v1/jobs')
          .set(user.auth)
          .send({ type: 'generate', prompt: 'a\u0000cat' }),
        field: 'prompt',
      },
      {
        res: await t.http
          .post('/api/v1/jobs')
          .set(user.auth)
          .send({ type: 'generate', prompt: 'cat', tags: ['ok', 'b\u0000'] }),
        field: 'tags.1',
      },
      {
        res: await t.http.patch('/api/v1/me').set(user.auth).send({ displayName: 'x\u0000' }),
        field: 'displayName',
      },
      { res: await t.http.get(`/api/v1/images/${encodeURIComponent('\u0000')}`).set(user.auth), field: 'id' },
    ];
    const png = await imageBytes('png', 8, 8);
    cases.push(
      { res: await upload(t, user, png, 'a.png', { title: 'x\u0000' }), field: 'title' },
      { res: await upload(t, user, png, 'a.png', { tags: ['ok', 'b\u0000'] }), field: 'tags.1' },
    );
    for (const { res, field } of cases) expectFieldProblem(res, field);
  });

  it('refuses dates out of range with 400 naming the field', async () => {
    const at = async (scheduledAt: unknown) =>
      t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId: SOME_ID, socialAccountId: SOME_ID, scheduledAt });
    for (const value of [
      '10000-01-01T00:00:00Z',
      '+010000-01-01T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      1e20,
      -1e16,
    ]) {
      expectFieldProblem(await at(value), 'scheduledAt');
    }
    for (const value of ['10000-01-01', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z']) {
      expectFieldProblem(
        await t.http.get('/api/v1/images').query({ createdFrom: value }).set(user.auth),
        'createdFrom',
      );
      expectFieldProblem(await t.http.get('/api/v1/posts').query({ from: value }).set(user.auth), 'from');
    }
  });

  it('answers deeply nested JSON with 400 and oversized bodies with 413, as problem documents', async () => {
    for (const text of [
      '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
      '['.repeat(200_000) + ']'.repeat(200_000),
    ]) {
      const res = await t.http
        .post('/api/v1/folders')
        .set(user.auth)
        .set('content-type', 'application/json')
        .send(text);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const nested = await t.http
      .post('/api/v1/jobs')
      .set(user.auth)
      .send({
        type: 'generate',
        prompt: 'cat',
        params: JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)),
      });
    expect(nested.status).toBe(400);
    const huge = await t.http
      .post('/api/v1/folders')
      .set(user.auth)
      .send({ name: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
  });
});
