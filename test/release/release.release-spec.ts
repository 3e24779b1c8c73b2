import type { Socket } from 'socket.io-client';
import { tokenFromMail } from '../fakes/smtp.fake';
import { startWebhookReceiverFake } from '../fakes/webhook-receiver.fake';
import { runClientFlow } from '../support/client-flow';
import { expectStatus, type ApiClient, type Json } from './api-client';
import { logIn, samplePng, signUp, type SignedUp } from './accounts';
import { publishToWebhook } from './publishing';
import { connectEvents, readJobStream, recordSocketJobEvents } from './job-events';
import { startReleaseStack, type ReleaseStack } from './release-stack';
import { uploadImage } from './uploads';

/** Lists are `{items}` pages; a few older routes answer a bare array. */
const itemsOf = (body: unknown): Record<string, Json>[] =>
  Array.isArray(body) ? body : (body as { items: Record<string, Json>[] }).items;

/**
 * The built artefact, run as users run it (api and worker processes, production mode, external
 * PostgreSQL, S3, SMTP), driven only over HTTP and socket.io. One story per route family; the
 * tests share one person and run in order.
 */
describe('release: the built server, as deployed', () => {
  let stack: ReleaseStack;
  let alice: SignedUp;
  let me: ApiClient;
  let uploadedId: string;

  beforeAll(async () => {
    stack = await startReleaseStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('signs a new person up on the fresh database: mailed link, then login, with no manual step', async () => {
    alice = await signUp(stack.api, stack.smtp);
    me = alice.client;
    expect(alice.user).toMatchObject({ emailVerified: true, role: 'user' });
    const profile = expectStatus(await me.get('me'), 200, 'me');
    expect(profile.planId).toEqual(expect.any(String));
    expect(expectStatus(await me.get('me/quota'), 200, 'quota')).toBeTruthy();
  });

  it('serves the reference data every deployment starts with: plans, styles, providers, models, workflows', async () => {
    const plans = itemsOf(expectStatus(await stack.api.get('plans'), 200, 'plans'));
    expect(plans.map((p) => p.slug)).toEqual(expect.arrayContaining(['free', 'premium']));
    const categories = itemsOf(expectStatus(await me.get('styles/categories'), 200, 'categories'));
    expect(categories.length).toBeGreaterThan(0);
    const styles = itemsOf(expectStatus(await me.get('styles?limit=100'), 200, 'styles'));
    expect(styles.length).toBeGreaterThan(0);
    expectStatus(await me.get(`styles/${styles[0].id}/examples`), 200, 'style examples');
    const providers = itemsOf(expectStatus(await me.get('providers'), 200, 'providers'));
    expect(providers.map((p) => p.name)).toEqual(expect.arrayContaining(['local', 'comfyui']));
    const models = itemsOf(expectStatus(await me.get('models'), 200, 'models'));
    expect(models.map((m) => m.name)).toContain('SDXL base 1.0');
    const workflows = itemsOf(expectStatus(await me.get('workflows'), 200, 'workflows'));
    expect(workflows.map((w) => w.name)).toContain('Text to image (SDXL)');
  });

  it.each(['first', 'last'] as const)(
    'accepts a multipart upload from FormData with the file part %s',
    async (position) => {
      const res = await uploadImage(
        me,
        await samplePng(position === 'first' ? 1 : 2),
        { title: `harbour at dawn ${position}`, tags: ['harbour', 'dawn'] },
        position,
      );
      const image = expectStatus(res, 201, `upload (file ${position})`);
      expect(image).toMatchObject({ title: `harbour at dawn ${position}`, mime: 'image/png' });
      uploadedId = image.id;
    },
  );

  it('generates locally, streaming the job over SSE and socket.io; the result bytes come from S3', async () => {
    const socket: Socket = await connectEvents(stack.url, me.token!);
    try {
      const relayed = recordSocketJobEvents(socket);
      const submitted = await me.post('jobs', {
        type: 'generate',
        prompt: 'a lighthouse',
        params: { size: '64x64' },
      });
      const jobId: string = expectStatus(submitted, 202, 'generate').id;
      const streamed = await readJobStream(me, jobId);
      expect(streamed.map((e) => e.type)).toContain('completed');
      expect((await relayed.finished(jobId)).map((e) => e.type)).toEqual(
        expect.arrayContaining(['queued', 'completed']),
      );
      const job = expectStatus(await me.get(`jobs/${jobId}`), 200, 'job');
      expect(job).toMatchObject({ status: 'succeeded', provider: 'local' });
      const content = await fetch(me.urlOf(`images/${job.resultImageIds[0]}/content`), {
        headers: { authorization: `Bearer ${me.token}` },
      });
      expect(content.status).toBe(200);
      expect(content.headers.get('content-type')).toMatch(/^image\//);
      expect(stack.s3!.requests.some((r) => r.method === 'PUT')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('answers Prefer: wait with the finished job, which the worker process ran (RFC 7240)', async () => {
    const res = await me.post(
      'jobs',
      { type: 'generate', prompt: 'a harbour crane', params: { size: '64x64' } },
      { headers: { prefer: 'wait=30' } },
    );
    const job = expectStatus(res, 201, 'generate with Prefer: wait');
    expect(res.headers.get('preference-applied')).toBe('wait=30');
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ status: 'succeeded', results: [expect.anything()] });
  });

  it('delivers the signed webhooks of a job from the worker process, once per event', async () => {
    const secret = expectStatus(await me.get('jobs/webhook-secret'), 200, 'webhook secret').secret;
    const hooks = await startWebhookReceiverFake({ secret });
    try {
      const submitted = await me.post('jobs', {
        type: 'generate',
        prompt: 'a signal box',
        params: { size: '64x64' },
        webhookUrl: hooks.hookUrl,
        webhookEvents: ['start', 'completed'],
      });
      const jobId: string = expectStatus(submitted, 202, 'generate with webhook').id;
      const completed = await hooks.waitForDelivery((d) => d.webhookId === `job-webhook:${jobId}:completed`, {
        timeoutMs: 30_000,
      });
      expect(completed).toMatchObject({
        verified: true,
        json: { type: 'job.completed', data: { id: jobId } },
      });
      expect(hooks.deliveries.some((d) => d.webhookId === `job-webhook:${jobId}:start` && d.verified)).toBe(
        true,
      );
    } finally {
      await hooks.close();
    }
  });

  it('runs the seeded "Text to image (SDXL)" workflow with exactly its documented parameters on ComfyUI', async () => {
    const workflows = itemsOf(expectStatus(await me.get('workflows'), 200, 'workflows'));
    const txt2img = workflows.find((w) => w.name === 'Text to image (SDXL)')!;
    const params = {
      prompt: 'a fox in snow',
      negative_prompt: 'blurry',
      seed: 42,
      steps: 4,
      cfg: 6.5,
      width: 512,
      height: 768,
    };
    const submitted = await me.post('jobs', { type: 'workflow', workflowId: txt2img.id, params });
    const jobId = expectStatus(submitted, 202, 'workflow job').id;
    await readJobStream(me, jobId);
    const job = expectStatus(await me.get(`jobs/${jobId}`), 200, 'job');
    expect(job).toMatchObject({ status: 'succeeded', provider: 'comfyui' });
    const graph = stack.comfy.prompts[stack.comfy.prompts.length - 1].graph as Record<string, Json>;
    expect(graph['3'].inputs).toMatchObject({ seed: 42, steps: 4, cfg: 6.5 });
    expect(graph['5'].inputs).toMatchObject({ width: 512, height: 768 });
    expect(graph['6'].inputs.text).toBe('a fox in snow');
  });

  it('edits an uploaded image', async () => {
    const submitted = await me.post('jobs', {
      type: 'edit',
      sourceImageId: uploadedId,
      prompt: 'warmer light',
    });
    const jobId = expectStatus(submitted, 202, 'edit job').id;
    const events = await readJobStream(me, jobId);
    expect(events[events.length - 1].type).toBe('completed');
  });

  it('shares an image and finds it in the public gallery search', async () => {
    expectStatus(await me.post(`images/${uploadedId}/share`), 200, 'share');
    const gallery = expectStatus(await stack.api.get('gallery?q=harbour'), 200, 'gallery');
    expect(itemsOf(gallery).map((i) => i.id)).toContain(uploadedId);
  });

  it('files an image in a folder and lists tags', async () => {
    const folder = expectStatus(await me.post('folders', { name: 'Coast' }), 201, 'folder');
    expectStatus(await me.patch(`images/${uploadedId}`, { folderId: folder.id }), 200, 'move to folder');
    const inFolder = expectStatus(await me.get(`images?folderId=${folder.id}`), 200, 'images in folder');
    expect(itemsOf(inFolder).map((i) => i.id)).toEqual([uploadedId]);
    const tags = itemsOf(expectStatus(await me.get('tags'), 200, 'tags'));
    expect(tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['harbour', 'dawn']));
  });

  it('publishes a validated image to a signed webhook; the worker-signed image URL serves the image', async () => {
    const delivery = await publishToWebhook(me, uploadedId);
    expect(delivery.verified).toBe(true);
    const image = await fetch((delivery.json as { image: { url: string } }).image.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('lets the administrator from ADMIN_EMAIL in: queue dashboard, plan links, moderation', async () => {
    const { client: admin, user } = await logIn(stack.api, stack.admin.email, stack.admin.password);
    expect(user.role).toBe('admin');
    const plans = itemsOf(expectStatus(await admin.get('plans'), 200, 'plans'));
    expectStatus(await admin.get(`plans/${plans[0].id}/models`), 200, 'plan models');
    expectStatus(await admin.get(`admin/images/${uploadedId}/moderation`), 200, 'moderation');
    expect((await me.get(`plans/${plans[0].id}/models`)).status).toBe(403);
    const dashboard = await admin.get('/admin/queues');
    expect(dashboard.status).toBe(200);
  });

  it('lets the administrator find, deactivate and reactivate a user, each action in the audit log', async () => {
    const { client: admin } = await logIn(stack.api, stack.admin.email, stack.admin.password);
    const found = itemsOf(expectStatus(await admin.get(`admin/users?q=${alice.email}`), 200, 'search'));
    expect(found.map((u) => u.id)).toEqual([alice.user.id]);
    expectStatus(await admin.post(`admin/users/${alice.user.id}/deactivate`), 200, 'deactivate');
    expect((await me.get('me')).status).toBe(401);
    expect(
      (await stack.api.post('auth/login', { login: alice.email, password: alice.password })).status,
    ).toBe(403);
    expectStatus(await admin.post(`admin/users/${alice.user.id}/reactivate`), 200, 'reactivate');
    const audit = itemsOf(
      expectStatus(await admin.get(`admin/audit-log?targetUserId=${alice.user.id}`), 200, 'audit log'),
    );
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['user.deactivated', 'user.reactivated']),
    );
    me = (await logIn(stack.api, alice.email, alice.password)).client;
  });

  it('serves the operator surfaces: OpenAPI document, metrics, liveness', async () => {
    const doc = expectStatus(await stack.api.get('/docs-json'), 200, 'openapi');
    expect(Object.keys(doc.paths)).toContain('/api/v1/images');
    expect((await stack.api.get('/metrics')).status).toBe(401);
    const metrics = await fetch(`${stack.url}/metrics`, {
      headers: { authorization: `Bearer ${stack.env.METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_request');
    expectStatus(await stack.api.get('/health/live'), 200, 'live');
  });

  it('runs the main flow through the typed client (@atelier/client), as a web or mobile app would', async () => {
    const hooks = await startWebhookReceiverFake({ secret: `whsec_${Buffer.alloc(24).toString('base64')}` });
    try {
      const result = await runClientFlow({
        baseUrl: stack.url,
        verificationToken: async (email) =>
          tokenFromMail(await stack.smtp.waitForMail((mail) => mail.to.includes(email), 15_000)),
        webhookUrl: hooks.hookUrl,
        onWebhookSecret: (secret) => hooks.setSecret(secret),
        png: new Blob([await samplePng(3)], { type: 'image/png' }),
        fetch: stack.contractFetch,
      });
      const { client } = await logIn(stack.api, stack.admin.email, stack.admin.password);
      const post = expectStatus(await client.get(`admin/users/${result.userId}`), 200, 'flow user');
      expect(post.usage.counts).toMatchObject({ images: 2, jobs: 1 });
    } finally {
      await hooks.close();
    }
  });

  it('answered every request above as the served OpenAPI document says', () => {
    expect(stack.contract.violations).toEqual([]);
  });
});
