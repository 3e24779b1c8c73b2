import { getQueueToken } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { DEFAULT_JOB_OPTIONS, QueueName } from '../libs/core/src';
import { imageJobId } from '../libs/images/src';
import { ModerationService } from '../libs/moderation/src';
import { fakeImage } from './fakes/fake-image';
import { RekognitionFake, startRekognitionFake } from './fakes/rekognition.fake';
import { awaitJob, imageBytes, upload } from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

const API = '/api/v1';
const EXPLICIT = { Name: 'Explicit Nudity', ParentName: 'Explicit', Confidence: 95.5 };

describe('moderation with Rekognition', () => {
  let fake: RekognitionFake;
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let admin: TestUser;
  let seed = 0;

  beforeAll(async () => {
    fake = await startRekognitionFake();
    t = await startTestApp({
      FEATURES: 'images',
      MODERATION_DRIVER: 'rekognition',
      REKOGNITION_ENDPOINT: fake.url,
      MODERATION_MIN_CONFIDENCE: '80',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDATELIERTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
    });
    [owner, viewer, admin] = await Promise.all([
      createUser(t),
      createUser(t),
      createUser(t, { role: 'admin' }),
    ]);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => fake.setRule(() => []));

  const moderationQueue = () => t.app.get<Queue>(getQueueToken(QueueName.Moderation));

  /** Uploads a distinct image and waits for its moderation job to settle. */
  async function uploadModerated(): Promise<string> {
    const res = await upload(t, owner, await imageBytes('png', 64, 48, ++seed)).expect(201);
    await awaitJob(moderationQueue(), imageJobId.moderate(res.body.id));
    return res.body.id;
  }

  const getImage = (id: string, user: TestUser = owner) => t.http.get(`${API}/images/${id}`).set(user.auth);
  const share = (id: string) => t.http.post(`${API}/images/${id}/share`).set(owner.auth);
  const galleryIds = async () =>
    (await t.http.get(`${API}/gallery`).query({ limit: 100 }).expect(200)).body.items.map(
      (i: { id: string }) => i.id,
    );

  it('marks an image safe when Rekognition finds nothing, and lets it be shared', async () => {
    const id = await uploadModerated();
    expect((await getImage(id).expect(200)).body).toMatchObject({
      moderationState: 'safe',
      moderationLabels: [],
    });
    const call = fake.calls.at(-1)!;
    expect(call.input.minConfidence).toBe(80);
    expect(call.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDATELIERTEST\/\d+\/eu-west-1\//);
    expect(call.input.bytes!.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    await share(id).expect(200);
    expect(await galleryIds()).toContain(id);
  });

  it('flags an image with a label above the threshold: owner sees the labels, nobody else sees it', async () => {
    fake.setRule(() => [EXPLICIT, { Name: 'Suggestive', Confidence: 60 }]);
    const id = await uploadModerated();
    const mine = await getImage(id).expect(200);
    expect(mine.body).toMatchObject({
      moderationState: 'flagged',
      moderationLabels: [{ name: 'Explicit Nudity', parentName: 'Explicit', confidence: 95.5 }],
      isPublic: false,
    });

    const refused = await share(id).expect(409);
    expect(refused.body).toMatchObject({ code: 'moderation_blocked', moderationState: 'flagged' });
    expect(await galleryIds()).not.toContain(id);
    await getImage(id, viewer).expect(404);
    await t.http.get(`${API}/images/${id}/content`).expect(404);
  });

  it('treats labels below MODERATION_MIN_CONFIDENCE as safe', async () => {
    fake.setRule(() => [{ Name: 'Suggestive', Confidence: 79.9 }]);
    const id = await uploadModerated();
    expect((await getImage(id)).body).toMatchObject({ moderationState: 'safe', moderationLabels: [] });
  });

  describe('when Rekognition is failing', () => {
    // Retries wait for an exponential backoff; the test promotes each retry at once instead.
    let promoteRetries: (job: Job) => void;
    beforeEach(() => {
      promoteRetries = (job) => void job.promote().catch(() => undefined);
      moderationQueue().on('failed', promoteRetries);
    });
    afterEach(() => {
      moderationQueue().off('failed', promoteRetries);
    });

    it('retries a throttled request and then records the verdict', async () => {
      fake.setRule(() => [EXPLICIT]);
      fake.failNext('ThrottlingException');
      const before = fake.requests.length;
      const id = await uploadModerated();
      expect(fake.requests.length - before).toBe(2);
      expect((await getImage(id)).body.moderationState).toBe('flagged');
    });

    it('leaves the image pending (owner only, not shareable) once every attempt failed', async () => {
      const attempts = DEFAULT_JOB_OPTIONS.attempts!;
      for (let i = 0; i < attempts; i++) fake.failNext(i % 2 ? 'ThrottlingException' : 'InternalServerError');
      const before = fake.requests.length;
      const res = await upload(t, owner, await imageBytes('png', 64, 48, ++seed)).expect(201);
      const id: string = res.body.id;
      await expect(awaitJob(moderationQueue(), imageJobId.moderate(id))).rejects.toThrow(/rekognition/);

      const job = await moderationQueue().getJob(imageJobId.moderate(id));
      expect(job!.attemptsMade).toBe(attempts);
      expect(fake.requests.length - before).toBe(attempts);
      expect((await getImage(id).expect(200)).body.moderationState).toBe('pending');
      const refused = await share(id).expect(409);
      expect(refused.body).toMatchObject({ code: 'moderation_blocked', moderationState: 'pending' });
      await getImage(id, viewer).expect(404);
      expect(await galleryIds()).not.toContain(id);
    });

    it('does not retry an image Rekognition cannot read: one call, job failed, image pending', async () => {
      fake.failNext('InvalidImageFormatException');
      const before = fake.requests.length;
      const res = await upload(t, owner, await imageBytes('png', 64, 48, ++seed)).expect(201);
      const id: string = res.body.id;
      await expect(awaitJob(moderationQueue(), imageJobId.moderate(id))).rejects.toThrow(
        /InvalidImageFormatException/,
      );

      const job = await moderationQueue().getJob(imageJobId.moderate(id));
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
      expect(fake.requests.length - before).toBe(1);
      expect((await getImage(id).expect(200)).body.moderationState).toBe('pending');
      await share(id).expect(409);
    });
  });

  describe('admin override', () => {
    const override = (id: string, body: Record<string, unknown>, user: TestUser = admin) =>
      t.http.post(`${API}/admin/images/${id}/moderation`).set(user.auth).send(body);

    it('clears a false positive with an audit record, after which the owner can share', async () => {
      fake.setRule(() => [EXPLICIT]);
      const id = await uploadModerated();
      const res = await override(id, { verdict: 'safe', reason: 'Classical statue' }).expect(200);
      expect(res.body).toMatchObject({
        imageId: id,
        moderationState: 'safe',
        moderationLabels: [expect.objectContaining({ name: 'Explicit Nudity' })],
        history: [{ adminId: admin.id, fromState: 'flagged', toState: 'safe', reason: 'Classical statue' }],
      });
      await share(id).expect(200);
      expect(await galleryIds()).toContain(id);
    });

    it('flags a shared image, taking it out of the gallery, and keeps the whole trail', async () => {
      const id = await uploadModerated();
      await share(id).expect(200);
      expect(await galleryIds()).toContain(id);

      const res = await override(id, { verdict: 'flagged', reason: 'Reported by users' }).expect(200);
      expect(res.body).toMatchObject({ moderationState: 'flagged', isPublic: false });
      expect(await galleryIds()).not.toContain(id);
      await share(id).expect(409);
      await override(id, { verdict: 'safe' }).expect(200);

      const trail = await t.http.get(`${API}/admin/images/${id}/moderation`).set(admin.auth).expect(200);
      expect(trail.body.history).toEqual([
        expect.objectContaining({ fromState: 'flagged', toState: 'safe', reason: null }),
        expect.objectContaining({ fromState: 'safe', toState: 'flagged', reason: 'Reported by users' }),
      ]);
      const rows = await t.db.query(
        'SELECT admin_id, from_state, to_state FROM moderation_audits WHERE image_id = $1',
        [id],
      );
      expect(rows).toHaveLength(2);
      expect(rows.every((r: { admin_id: string }) => r.admin_id === admin.id)).toBe(true);
    });

    it('is for administrators, validates the verdict and 404s unknown images', async () => {
      const id = await uploadModerated();
      const forbidden = await override(id, { verdict: 'safe' }, owner).expect(403);
      expect(forbidden.body.code).toBe('admin_only');
      await t.http.post(`${API}/admin/images/${id}/moderation`).send({ verdict: 'safe' }).expect(401);
      const bad = await override(id, { verdict: 'skipped' }).expect(400);
      expect(bad.body.errors[0].field).toBe('verdict');
      const missing = await override('00000000-0000-4000-8000-000000000000', { verdict: 'safe' }).expect(404);
      expect(missing.body.code).toBe('image_not_found');
      await override('not-a-uuid', { verdict: 'safe' }).expect(404);
      const [{ count }] = await t.db.query(
        'SELECT count(*)::int AS count FROM moderation_audits WHERE image_id = $1',
        [id],
      );
      expect(count).toBe(0);
    });
  });

  it('screens bytes for the processing lib (source images before an edit)', async () => {
    const moderation = t.app.get(ModerationService);
    fake.setRule(() => [EXPLICIT]);
    await expect(moderation.screen(await fakeImage(40, 40, 'png'))).resolves.toMatchObject({
      verdict: 'flagged',
    });
    fake.setRule(() => []);
    await expect(moderation.screen(await fakeImage(40, 40, 'png'))).resolves.toEqual({
      verdict: 'safe',
      labels: [],
    });
  });
});
