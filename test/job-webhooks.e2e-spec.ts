import { startWebhookReceiverFake, type WebhookReceiverFake } from './fakes/webhook-receiver.fake';
import { submitJob, waitForJobEnd } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

/**
 * Job webhooks, as Replicate's: a job names a URL and the events it wants (`start`, `output`,
 * `completed`); each arrives once, signed per Standard Webhooks with the owner's secret, and a
 * refused delivery is retried with backoff under the same message id.
 */
describe('job webhooks', () => {
  let t: TestApp;
  let hooks: WebhookReceiverFake;
  let user: TestUser;

  beforeAll(async () => {
    hooks = await startWebhookReceiverFake({ secret: 'whsec_placeholder' });
    t = await startTestApp({ FEATURES: 'images,processing', ALLOW_PRIVATE_WEBHOOKS: 'true' });
    user = await createUser(t);
    const secret = await t.http.get('/api/v1/jobs/webhook-secret').set(user.auth).expect(200);
    expect(secret.body.secret).toMatch(/^whsec_/);
    hooks.setSecret(secret.body.secret);
  });

  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  const deliveriesOf = (jobId: string) =>
    hooks.deliveries.filter((d) => (d.json as { data?: { id?: string } })?.data?.id === jobId);

  it('delivers the events asked for, signed, once each', async () => {
    const submitted = await submitJob(t, user, {
      type: 'generate',
      prompt: 'a lighthouse',
      webhookUrl: hooks.hookUrl,
      webhookEvents: ['start', 'completed'],
    });
    expect(submitted.status).toBe(202);
    const jobId: string = submitted.body.id;
    await waitForJobEnd(t, user, jobId);
    const completed = await hooks.waitForDelivery((d) => d.webhookId === `job-webhook:${jobId}:completed`);

    expect(completed.verified).toBe(true);
    expect(completed.json).toMatchObject({
      type: 'job.completed',
      data: { id: jobId, status: 'succeeded', resultImageIds: [expect.any(String)] },
    });
    const start = deliveriesOf(jobId).find((d) => d.webhookId === `job-webhook:${jobId}:start`);
    expect(start).toMatchObject({ verified: true, json: { type: 'job.start' } });
    // `output` was not asked for; nothing is sent twice.
    expect(
      deliveriesOf(jobId)
        .map((d) => d.webhookId)
        .sort(),
    ).toEqual([`job-webhook:${jobId}:completed`, `job-webhook:${jobId}:start`]);
  });

  it('retries a refused delivery with the same message id', async () => {
    hooks.respondNext(503);
    const submitted = await submitJob(t, user, {
      type: 'generate',
      prompt: 'a lighthouse at night',
      webhookUrl: hooks.hookUrl,
      webhookEvents: ['output'],
    });
    const jobId: string = submitted.body.id;
    const id = `job-webhook:${jobId}:output`;
    const accepted = await hooks.waitForDelivery((d) => d.webhookId === id && d.status === 200, {
      timeoutMs: 15_000,
    });
    expect(accepted.json).toMatchObject({ type: 'job.output', data: { id: jobId, status: 'succeeded' } });
    expect(deliveriesOf(jobId).map((d) => [d.webhookId, d.status])).toEqual([
      [id, 503],
      [id, 200],
    ]);
  });

  it('refuses an unknown event name, naming the field', async () => {
    const res = await submitJob(t, user, {
      type: 'generate',
      prompt: 'x',
      webhookUrl: hooks.hookUrl,
      webhookEvents: ['logs'],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('webhookEvents');
  });
});
