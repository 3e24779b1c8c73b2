import { randomUUID } from 'node:crypto';
import { startOpenAIFake, type OpenAIFake } from './fakes/openai.fake';
import { createAccount, createImage } from './scheduler-helpers';
import { quotaUsed, submitJob } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/**
 * Every id a request names is checked for existence and ownership when it is submitted, before
 * quota is taken or a provider is paid: someone else's resource answers like a missing one (404)
 * and the problem names the field.
 */
describe('referenced ids are checked at submit', () => {
  let t: TestApp;
  let openai: OpenAIFake;
  let user: TestUser;
  let other: TestUser;
  let theirFolder: string;
  let theirImage: string;

  beforeAll(async () => {
    openai = await startOpenAIFake({ apiKey: 'sk-test' });
    t = await startTestApp({
      FEATURES: 'images,processing,scheduler',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      // Configured so workflow jobs reach their checks; never called (the workflow id is refused first).
      COMFYUI_URL: 'http://127.0.0.1:9',
    });
    [user, other] = await Promise.all([createUser(t, { planSlug: 'premium' }), createUser(t)]);
    const folder = await t.http.post('/api/v1/folders').set(other.auth).send({ name: 'Theirs' }).expect(201);
    theirFolder = folder.body.id;
    theirImage = await createImage(t, other);
  });

  afterAll(async () => {
    await t?.close();
    await openai?.close();
  });

  const expectNotFound = (res: { status: number; body: { errors?: unknown } }, field: string) => {
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
  };

  describe('jobs', () => {
    const generate = { type: 'generate', prompt: 'a harbour in fog', provider: 'openai' };

    it.each([
      ['folderId', () => ({ ...generate, folderId: theirFolder })],
      ['folderId', () => ({ ...generate, folderId: randomUUID() })],
      ['styleId', () => ({ ...generate, styleId: randomUUID() })],
      ['templateId', () => ({ ...generate, templateId: randomUUID() })],
      ['sourceImageId', () => ({ type: 'edit', prompt: 'x', provider: 'openai', sourceImageId: theirImage })],
      ['workflowId', () => ({ type: 'workflow', workflowId: randomUUID() })],
    ])('refuses a bad %s before quota or any provider call', async (field, body) => {
      const before = await quotaUsed(t, user.id, 'generation');
      const beforeEdits = await quotaUsed(t, user.id, 'edit');
      const res = await submitJob(t, user, body());
      expectNotFound(res, field);
      expect(openai.calls).toHaveLength(0);
      expect(await quotaUsed(t, user.id, 'generation')).toBe(before);
      expect(await quotaUsed(t, user.id, 'edit')).toBe(beforeEdits);
      const rows: unknown[] = await t.db.query('SELECT id FROM jobs WHERE owner_id = $1', [user.id]);
      expect(rows).toHaveLength(0);
    });

    it('refuses a model the provider does not have, naming the field, before any call', async () => {
      const res = await submitJob(t, user, { ...generate, model: 'no-such-model' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'model' })]);
      expect(openai.calls).toHaveLength(0);
    });

    it('refuses another user’s mask image, naming maskImageId', async () => {
      const mine = await createImage(t, user);
      const res = await submitJob(t, user, {
        type: 'edit',
        prompt: 'x',
        provider: 'openai',
        sourceImageId: mine,
        maskImageId: theirImage,
      });
      expectNotFound(res, 'maskImageId');
      expect(openai.calls).toHaveLength(0);
    });

    it('accepts the caller’s own folder', async () => {
      const folder = await t.http.post('/api/v1/folders').set(user.auth).send({ name: 'Mine' }).expect(201);
      const res = await submitJob(t, user, { ...generate, folderId: folder.body.id });
      expect(res.status).toBe(202);
    });
  });

  describe('posts and schedules', () => {
    let account: { id: string };

    beforeAll(async () => {
      // Named and identified up front, so creating it calls no platform.
      account = await createAccount(t, user, {
        platform: 'instagram',
        accessToken: 'ig',
        externalId: '1784',
        displayName: 'IG',
      });
    });

    const schedule = () => ({
      name: 'Mornings',
      socialAccountId: account.id,
      frequency: 'daily',
      timeOfDay: '09:00',
      timeZone: 'Europe/Paris',
    });

    it('refuses a schedule drawing from another user’s folder', async () => {
      const res = await t.http
        .post('/api/v1/schedules')
        .set(user.auth)
        .send({ ...schedule(), folderId: theirFolder });
      expectNotFound(res, 'folderId');
    });

    it('refuses moving a schedule to another user’s folder', async () => {
      const created = await t.http.post('/api/v1/schedules').set(user.auth).send(schedule()).expect(201);
      const res = await t.http
        .patch(`/api/v1/schedules/${created.body.id}`)
        .set(user.auth)
        .send({ folderId: theirFolder });
      expectNotFound(res, 'folderId');
      const stored = await t.http.get(`/api/v1/schedules/${created.body.id}`).set(user.auth).expect(200);
      expect(stored.body.folderId).toBeNull();
    });

    it('refuses a schedule or post on another user’s account, naming socialAccountId', async () => {
      const theirAccount = await createAccount(t, other, {
        platform: 'instagram',
        accessToken: 'ig',
        externalId: '1785',
        displayName: 'IG',
      });
      const res = await t.http
        .post('/api/v1/schedules')
        .set(user.auth)
        .send({ ...schedule(), socialAccountId: theirAccount.id });
      expectNotFound(res, 'socialAccountId');
      const mine = await createImage(t, user);
      const post = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId: mine, socialAccountId: theirAccount.id });
      expectNotFound(post, 'socialAccountId');
    });

    it('refuses a post of another user’s image, naming imageId', async () => {
      const res = await t.http
        .post('/api/v1/posts')
        .set(user.auth)
        .send({ imageId: theirImage, socialAccountId: account.id });
      expectNotFound(res, 'imageId');
    });
  });
});
