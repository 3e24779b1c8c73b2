import sharp from 'sharp';
import { startHuggingFaceFake, type HuggingFaceFake } from './fakes/huggingface.fake';
import { startOpenAIFake, type OpenAIFake } from './fakes/openai.fake';
import { waitFor, waitForEvent } from './fakes/wait-for';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';
import { quotaUsed, streamJobEvents, submitJob, uploadImage, waitForJobEnd } from './support/jobs';

describe('Processing: OpenAI and Hugging Face providers through their SDKs', () => {
  let t: TestApp;
  let openai: OpenAIFake;
  let hf: HuggingFaceFake;
  let premium: TestUser;
  let free: TestUser;

  beforeAll(async () => {
    [openai, hf] = await Promise.all([
      startOpenAIFake({ apiKey: 'sk-test' }),
      startHuggingFaceFake({ token: 'hf_test' }),
    ]);
    t = await startTestApp({
      FEATURES: 'images,processing',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      HF_TOKEN: 'hf_test',
      HF_BASE_URL: hf.url,
      JOB_ATTEMPTS: '3',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    });
    [premium, free] = await Promise.all([createUser(t, { planSlug: 'premium' }), createUser(t)]);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([openai?.close(), hf?.close()]);
  });

  const generate = (user: TestUser, body: Record<string, unknown> = {}) =>
    submitJob(t, user, { type: 'generate', prompt: 'a harbour in fog', provider: 'openai', ...body });

  describe('openai', () => {
    it('streams partial images as previews, stores the final image and records usage and request id', async () => {
      const submitted = await generate(premium, { params: { size: '1024x1536', quality: 'low' } });
      expect(submitted.status).toBe(202);
      const { job, events } = await waitForJobEnd(t, premium, submitted.body.id);
      expect(job.status).toBe('succeeded');
      const call = openai.calls[openai.calls.length - 1];
      expect(call).toMatchObject({ endpoint: 'generations', model: 'gpt-image-1', stream: true });
      expect(call.params).toMatchObject({ size: '1024x1536', quality: 'low', partial_images: 2, n: 1 });
      expect(job.providerRequestId).toBe(call.requestId);
      expect(job.usage).toMatchObject({ output_tokens: expect.any(Number) });

      const previews = events.filter((e) => e.event === 'preview');
      expect(previews).toHaveLength(2);
      // Signed URLs are absolute on APP_URL; the test app listens on its own port.
      const previewUrl = new URL(previews[1].data.data.url as string);
      const preview = await fetch(`${t.url}${previewUrl.pathname}${previewUrl.search}`);
      expect(preview.status).toBe(200);

      const content = await t.http
        .get(`/api/v1/images/${job.resultImageIds[0]}/content`)
        .set(premium.auth)
        .buffer(true);
      const meta = await sharp(content.body as Buffer).metadata();
      expect([meta.width, meta.height]).toEqual([1024, 1536]);
    });

    it('asks for several images without streaming', async () => {
      const submitted = await generate(premium, { params: { n: 2, outputFormat: 'webp' } });
      const { job } = await waitForJobEnd(t, premium, submitted.body.id);
      expect(job.status).toBe('succeeded');
      expect(job.resultImageIds).toHaveLength(2);
      expect(openai.calls[openai.calls.length - 1]).toMatchObject({
        stream: false,
        params: { n: 2, output_format: 'webp' },
      });
    });

    it('edits with image and mask sent as multipart files', async () => {
      const source = await sharp({
        create: { width: 1024, height: 1024, channels: 3, background: '#806040' },
      })
        .png()
        .toBuffer();
      const mask = await sharp({
        create: { width: 1024, height: 1024, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      })
        .png()
        .toBuffer();
      const [sourceId, maskId] = [
        await uploadImage(t, premium, source),
        await uploadImage(t, premium, mask, 'mask.png'),
      ];
      const submitted = await submitJob(t, premium, {
        type: 'edit',
        provider: 'openai',
        prompt: 'add a boat',
        sourceImageId: sourceId,
        maskImageId: maskId,
      });
      expect(submitted.status).toBe(202);
      const { job } = await waitForJobEnd(t, premium, submitted.body.id);
      expect(job.status).toBe('succeeded');
      const call = openai.calls[openai.calls.length - 1];
      expect(call.endpoint).toBe('edits');
      expect(call.files.map((f) => f.field).sort()).toEqual(['image', 'mask']);
    });

    it("applies a style's quality and size to a style transfer; the user's explicit values win", async () => {
      const [style] = await t.db.query(
        `SELECT id, default_quality, default_size FROM styles WHERE slug = 'hand-painted-anime'`,
      );
      expect(style).toMatchObject({ default_quality: 'high', default_size: '1536x1024' });
      const sourceImageId = await uploadImage(
        t,
        premium,
        await sharp({ create: { width: 64, height: 64, channels: 3, background: '#406080' } })
          .png()
          .toBuffer(),
      );
      const transfer = (params?: Record<string, unknown>) =>
        submitJob(t, premium, {
          type: 'style_transfer',
          provider: 'openai',
          styleId: style.id,
          sourceImageId,
          ...(params ? { params } : {}),
        });

      const styled = await waitForJobEnd(t, premium, (await transfer()).body.id);
      expect(styled.job.status).toBe('succeeded');
      expect(openai.calls.at(-1)).toMatchObject({
        endpoint: 'edits',
        params: { size: '1536x1024', quality: 'high' },
      });

      const own = await waitForJobEnd(
        t,
        premium,
        (await transfer({ quality: 'low', size: '1024x1024' })).body.id,
      );
      expect(own.job.status).toBe('succeeded');
      expect(openai.calls.at(-1)!.params).toMatchObject({ size: '1024x1024', quality: 'low' });
    });

    it("403s a provider the caller's plan does not include, and 400s what a model cannot do", async () => {
      const forbidden = await generate(free);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('plan_forbids');
      const dalle = await generate(premium, { model: 'dall-e-3', params: { n: 2 } });
      expect(dalle.status).toBe(400);
      expect(dalle.body.errors).toEqual([{ field: 'params.n', message: expect.any(String) }]);
    });

    it.each([
      ['a 429 with Retry-After', 'rate_limit' as const],
      ['a 500', 'server_error' as const],
    ])('retries after %s and then succeeds', async (_name, kind) => {
      openai.failNext(kind, { retryAfterSeconds: 1 });
      const submitted = await generate(premium);
      const { job, events } = await waitForJobEnd(t, premium, submitted.body.id);
      expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
      const retrying = events.find((e) => e.event === 'retrying');
      expect(retrying?.data.data).toMatchObject({ code: 'provider_unavailable', attempt: 1 });
      expect(events.filter((e) => e.event === 'started')).toHaveLength(2);
    });

    it.each([
      ['a content-policy refusal', 'moderation_blocked' as const, 'content_policy'],
      ['a rejected API key', 'invalid_api_key' as const, 'provider_auth'],
    ])('fails at once on %s, with its code, and refunds the quota', async (_name, kind, code) => {
      const before = await quotaUsed(t, premium.id, 'generation');
      const callsBefore = openai.calls.length;
      openai.failNext(kind);
      const submitted = await generate(premium);
      expect(await quotaUsed(t, premium.id, 'generation')).toBe(before + 1);
      const { job, events } = await waitForJobEnd(t, premium, submitted.body.id);
      expect(job).toMatchObject({ status: 'failed', attempts: 1, error: { code } });
      expect(job.error?.message).toMatch(/^openai: /);
      expect(events[events.length - 1]).toMatchObject({ event: 'failed', data: { data: { code } } });
      expect(openai.calls.length).toBe(callsBefore + 1);
      expect(await quotaUsed(t, premium.id, 'generation')).toBe(before);

      const retried = await t.http.post(`/api/v1/jobs/${job.id}/retry`).set(premium.auth);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ retryOfId: job.id, prompt: job.prompt, provider: 'openai' });
      expect((await waitForJobEnd(t, premium, retried.body.id)).job.status).toBe('succeeded');
    });

    it('aborts a running job on cancel: the provider call is dropped and nothing is stored', async () => {
      const before = await quotaUsed(t, premium.id, 'generation');
      const release = openai.stallStreamAfter(1);
      const abortedBefore = openai.aborted.length;
      try {
        const stalled = waitForEvent(openai, 'stream-stalled', () => true, { timeoutMs: 10_000 });
        const submitted = await generate(premium);
        const id = submitted.body.id;
        const stream = streamJobEvents(t, premium, id);
        await stalled;
        const cancelled = await t.http.post(`/api/v1/jobs/${id}/cancel`).set(premium.auth);
        expect(cancelled.status).toBe(200);
        expect(cancelled.body.status).toBe('cancelled');
        const events = await stream;
        expect(events[events.length - 1].event).toBe('cancelled');
        await waitFor(openai, 'abort', () => openai.aborted.length > abortedBefore, { timeoutMs: 10_000 });
        const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM images WHERE job_id = $1', [
          id,
        ]);
        expect(count).toBe(0);
        expect(await quotaUsed(t, premium.id, 'generation')).toBe(before);
      } finally {
        release();
      }
    });
  });

  describe('huggingface', () => {
    it('generates through the SDK with the requested parameters', async () => {
      const submitted = await submitJob(t, free, {
        type: 'generate',
        provider: 'huggingface',
        prompt: 'a lighthouse',
        negativePrompt: 'blurry',
        params: { width: 512, height: 384, steps: 4, guidance: 3.5, seed: 7 },
      });
      expect(submitted.status).toBe(202);
      expect(submitted.body.model).toBe('black-forest-labs/FLUX.1-dev');
      const { job } = await waitForJobEnd(t, free, submitted.body.id);
      expect(job.status).toBe('succeeded');
      expect(hf.calls[hf.calls.length - 1]).toMatchObject({
        route: 'serverless',
        modelId: 'black-forest-labs/FLUX.1-dev',
        authorization: 'Bearer hf_test',
        inputs: 'a lighthouse',
        parameters: { width: 512, height: 384, negative_prompt: 'blurry', num_inference_steps: 4, seed: 7 },
      });
      const content = await t.http
        .get(`/api/v1/images/${job.resultImageIds[0]}/content`)
        .set(free.auth)
        .buffer(true);
      const meta = await sharp(content.body as Buffer).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([512, 384, 'jpeg']);
    });

    it('retries a loading model (503) and then succeeds', async () => {
      hf.failNext({ kind: 'loading', estimatedTime: 0.5 });
      const submitted = await submitJob(t, free, {
        type: 'generate',
        provider: 'huggingface',
        prompt: 'cold start',
      });
      const { job, events } = await waitForJobEnd(t, free, submitted.body.id);
      expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(events.find((e) => e.event === 'retrying')?.data.data).toMatchObject({ retryAfterMs: 500 });
    });

    it('fails a token problem (401) at once as provider_auth', async () => {
      hf.failNext({ kind: 'unauthorized' });
      const submitted = await submitJob(t, free, {
        type: 'generate',
        provider: 'huggingface',
        prompt: 'no entry',
      });
      const { job } = await waitForJobEnd(t, free, submitted.body.id);
      expect(job).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'provider_auth' } });
    });

    it('rejects a type the provider cannot run, naming the field', async () => {
      const res = await submitJob(t, free, {
        type: 'style_transfer',
        provider: 'huggingface',
        sourceImageId: '00000000-0000-4000-8000-000000000000',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('type');
    });
  });

  it("holds a user's extra job while the plan's concurrency is used, and cancels it while it waits", async () => {
    const release = hf.hold();
    const callsBefore = hf.calls.length;
    try {
      const before = await quotaUsed(t, free.id, 'generation');
      const body = { type: 'generate', provider: 'huggingface', params: { size: '256x256' } };
      const ids: string[] = [];
      for (const prompt of ['one', 'two', 'three'])
        ids.push((await submitJob(t, free, { ...body, prompt })).body.id);
      await waitFor(hf, 'held', () => hf.calls.length >= callsBefore + 2, { timeoutMs: 10_000 });
      const statuses = async () =>
        (
          (await t.db.query('SELECT id, status FROM jobs WHERE id = ANY($1) ORDER BY created_at', [ids])) as {
            status: string;
          }[]
        ).map((r) => r.status);
      // The free plan runs two at once: the third waits (queued) however often it is looked at.
      expect((await statuses()).filter((s) => s === 'running')).toHaveLength(2);
      const waiting = ids[(await statuses()).indexOf('queued')];
      expect(waiting).toBeDefined();
      const cancelled = await t.http.post(`/api/v1/jobs/${waiting}/cancel`).set(free.auth);
      expect(cancelled.body.status).toBe('cancelled');
      expect(await quotaUsed(t, free.id, 'generation')).toBe(before + 2);
      release();
      const others = ids.filter((id) => id !== waiting);
      const results = await Promise.all(others.map((id) => waitForJobEnd(t, free, id)));
      expect(results.map((r) => r.job.status)).toEqual(['succeeded', 'succeeded']);
      expect(hf.calls.length).toBe(callsBefore + 2);
    } finally {
      release();
    }
  });
});
