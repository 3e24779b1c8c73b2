import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '../libs/core/src';
import { imageJobId } from '../libs/images/src';
import { RekognitionFake, startRekognitionFake } from './fakes/rekognition.fake';
import { awaitJob, imageBytes } from './support/images';
import { quotaUsed, submitJob, uploadImage, waitForJobEnd } from './support/jobs';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

const EXPLICIT = { Name: 'Explicit Nudity', ParentName: 'Explicit', Confidence: 95.5 };

/** Issue 8: the source of an edit or style transfer is screened before any provider sees it. */
describe('Processing: source images screened by moderation (Rekognition)', () => {
  let fake: RekognitionFake;
  let t: TestApp;
  let alice: TestUser;
  let admin: TestUser;
  let seed = 0;

  beforeAll(async () => {
    fake = await startRekognitionFake();
    t = await startTestApp({
      FEATURES: 'images,processing',
      MODERATION_DRIVER: 'rekognition',
      REKOGNITION_ENDPOINT: fake.url,
      MODERATION_MIN_CONFIDENCE: '80',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDATELIERTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
    });
    [alice, admin] = await Promise.all([createUser(t), createUser(t, { role: 'admin' })]);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => fake.setRule(() => []));

  /** Uploads a distinct image and waits until its own moderation has settled. */
  async function uploadModerated(): Promise<string> {
    const id = await uploadImage(t, alice, await imageBytes('png', 96, 64, ++seed));
    await awaitJob(t.app.get<Queue>(getQueueToken(QueueName.Moderation)), imageJobId.moderate(id));
    return id;
  }

  const jobImages = async (jobId: string) =>
    Number((await t.db.query('SELECT count(*) AS n FROM images WHERE job_id = $1', [jobId]))[0].n);

  it('sends a safe source to the provider after screening it', async () => {
    const sourceId = await uploadModerated();
    const callsBefore = fake.calls.length;
    const submitted = await submitJob(t, alice, {
      type: 'edit',
      prompt: 'add a moon',
      sourceImageId: sourceId,
    });
    expect(submitted.status).toBe(202);
    const { job, events } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    expect(job.resultImageIds).toHaveLength(1);
    expect(events.map((e) => e.event)).toContain('progress');
    expect(fake.calls.length).toBeGreaterThan(callsBefore);
  });

  it('fails the job with moderation_blocked when the source is flagged, before any provider work', async () => {
    const sourceId = await uploadModerated();
    const editsBefore = await quotaUsed(t, alice.id, 'edit');
    // The stored verdict was safe; the screening at run time now finds explicit content.
    fake.setRule(() => [EXPLICIT]);
    const submitted = await submitJob(t, alice, {
      type: 'style_transfer',
      prompt: 'as a watercolour',
      sourceImageId: sourceId,
      params: { operations: [{ op: 'grayscale' }] },
    });
    expect(submitted.status).toBe(202);
    expect(await quotaUsed(t, alice.id, 'edit')).toBe(editsBefore + 1);

    const { job, events } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.error?.code).toBe('moderation_blocked');
    expect(job.error?.message).toContain('Explicit Nudity');
    expect(job.resultImageIds).toEqual([]);
    // The local provider reports progress and previews as soon as it runs: it never did.
    expect(events.map((e) => e.event)).toEqual(['queued', 'started', 'failed']);
    expect(await jobImages(job.id)).toBe(0);
    expect(await quotaUsed(t, alice.id, 'edit')).toBe(editsBefore);
  });

  it('refuses at submission a source image already flagged in the library (409)', async () => {
    fake.setRule(() => [EXPLICIT]);
    const sourceId = await uploadModerated();
    const [{ moderation_state }] = await t.db.query('SELECT moderation_state FROM images WHERE id = $1', [
      sourceId,
    ]);
    expect(moderation_state).toBe('flagged');
    const editsBefore = await quotaUsed(t, alice.id, 'edit');
    const refused = await submitJob(t, alice, { type: 'edit', prompt: 'x', sourceImageId: sourceId });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('moderation_blocked');
    expect(await quotaUsed(t, alice.id, 'edit')).toBe(editsBefore);
  });

  it('runs the job when an administrator cleared the flagged source', async () => {
    fake.setRule(() => [EXPLICIT]);
    const sourceId = await uploadModerated();
    await t.http
      .post(`/api/v1/admin/images/${sourceId}/moderation`)
      .set(admin.auth)
      .send({ verdict: 'safe', reason: 'False positive: classical statue' })
      .expect(200);
    // Rekognition still flags these bytes: the job can only succeed if the source is not screened again.
    const submitted = await submitJob(t, alice, {
      type: 'edit',
      prompt: 'add a frame',
      sourceImageId: sourceId,
    });
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    expect(job.resultImageIds).toHaveLength(1);
  });

  it('fails at once when the moderation service cannot read the source (final error)', async () => {
    const sourceId = await uploadModerated();
    fake.failNext('InvalidImageFormatException');
    const submitted = await submitJob(t, alice, { type: 'edit', prompt: 'x', sourceImageId: sourceId });
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.error).toMatchObject({ code: 'provider_rejected' });
    expect(job.error?.message).toContain('screening');
    expect(await jobImages(job.id)).toBe(0);
  });

  it('retries with backoff when the moderation service fails, then runs the job', async () => {
    const sourceId = await uploadModerated();
    fake.failNext('InternalServerError');
    const submitted = await submitJob(t, alice, {
      type: 'edit',
      prompt: 'add a sun',
      sourceImageId: sourceId,
    });
    const { job, events } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
    const retrying = events.find((e) => e.event === 'retrying');
    expect(retrying?.data.data).toMatchObject({ code: 'provider_unavailable' });
    expect(String(retrying?.data.data.message)).toContain('screening');
    expect(job.resultImageIds).toHaveLength(1);
  });
});
