import { startOpenAIFake, type OpenAIFake } from './fakes/openai.fake';
import { waitForEvent } from './fakes/wait-for';
import { quotaUsed, uniqueKey, waitForJobEnd } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

jest.setTimeout(60_000);

describe('Processing: synchronous generation with Prefer: wait (RFC 7240)', () => {
  let t: TestApp;
  let openai: OpenAIFake;
  let user: TestUser;

  beforeAll(async () => {
    openai = await startOpenAIFake({ apiKey: 'sk-test' });
    t = await startTestApp({
      FEATURES: 'images,processing',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
    });
    user = await createUser(t, { planSlug: 'premium' });
  });
  afterAll(async () => {
    await t?.close();
    await openai?.close();
  });

  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.http
      .post('/api/v1/jobs')
      .set(user.auth)
      .set(headers)
      .send({ type: 'generate', prompt: 'a lighthouse at dusk', ...body });

  it('answers 201 with the finished job and its image URLs when it ends in time', async () => {
    const before = await quotaUsed(t, user.id, 'generation');
    const res = await submit({ provider: 'local' }, { Prefer: 'wait=30' });
    expect(res.status).toBe(201);
    expect(res.headers['preference-applied']).toBe('wait=30');
    expect(res.body).toMatchObject({ status: 'succeeded', progress: 100 });
    expect(res.body.results).toHaveLength(res.body.resultImageIds.length);
    expect(res.body.results[0].contentUrl).toEqual(expect.any(String));
    // Signed links carry APP_URL's origin; the bytes are served by this server at that path.
    const link = new URL(res.body.results[0].contentUrl);
    const image = await t.http.get(link.pathname + link.search).expect(200);
    expect(image.headers['content-type']).toMatch(/^image\//);
    expect(res.body.events.map((e: { type: string }) => e.type)).toContain('completed');
    expect(await quotaUsed(t, user.id, 'generation')).toBe(before + 1);

    // `wait` alone is the longest wait the server allows; other preferences are ignored.
    const bare = await submit({ provider: 'local' }, { Prefer: 'respond-async, wait' });
    expect(bare.status).toBe(201);
    expect(bare.headers['preference-applied']).toBe('wait=60');
  });

  it('answers 202 as without the header when the job is still running, and the job goes on', async () => {
    const release = openai.hold();
    try {
      const held = waitForEvent(openai, 'held', () => true, { timeoutMs: 10_000 });
      const res = await submit({ provider: 'openai' }, { Prefer: 'wait=1' });
      expect(res.status).toBe(202);
      expect(res.headers['preference-applied']).toBe('wait=1');
      expect(['queued', 'running']).toContain(res.body.status);
      await held;
      release();
      const { job } = await waitForJobEnd(t, user, res.body.id);
      expect(job.status).toBe('succeeded');
    } finally {
      release();
    }

    const plain = await submit({ provider: 'local' });
    expect(plain.status).toBe(202);
    expect(plain.headers['preference-applied']).toBeUndefined();
    await waitForJobEnd(t, user, plain.body.id);
  });

  it('ends the wait when the job is cancelled, refunding the quota as usual', async () => {
    const release = openai.hold();
    try {
      const before = await quotaUsed(t, user.id, 'generation');
      const held = waitForEvent(openai, 'held', () => true, { timeoutMs: 10_000 });
      const key = uniqueKey();
      const waiting = submit({ provider: 'openai' }, { Prefer: 'wait=30', 'Idempotency-Key': key }).then(
        (res) => res,
      );
      await held;
      // The same key names the job the held request created (and, unwaited, answers 200 at once).
      const replay = await submit({ provider: 'openai' }, { 'Idempotency-Key': key }).expect(200);
      expect(replay.body.status).toBe('running');
      await t.http.post(`/api/v1/jobs/${replay.body.id}/cancel`).set(user.auth).expect(200);
      const res = await waiting;
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: replay.body.id, status: 'cancelled', results: [] });
      expect(await quotaUsed(t, user.id, 'generation')).toBe(before);
    } finally {
      release();
    }
  });

  it('keeps idempotency: a repeated key returns the same job (200), with its results once ended', async () => {
    const before = await quotaUsed(t, user.id, 'generation');
    const key = uniqueKey();
    const first = await submit({ provider: 'local' }, { Prefer: 'wait=30', 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const again = await submit({ provider: 'local' }, { Prefer: 'wait=30', 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, status: 'succeeded' });
    expect(again.body.results.map((r: { id: string }) => r.id)).toEqual(first.body.resultImageIds);
    expect(await quotaUsed(t, user.id, 'generation')).toBe(before + 1);
  });

  it('still validates the body before any waiting', async () => {
    const bad = await submit({ provider: 'local', prompt: '' }, { Prefer: 'wait=30' });
    expect(bad.status).toBe(400);
    expect(bad.headers['preference-applied']).toBeUndefined();
  });
});
