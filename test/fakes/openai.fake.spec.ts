import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { fakeImage } from './fake-image';
import { startOpenAIFake, type OpenAIFake, type OpenAIFailureKind } from './openai.fake';
import { waitForEvent } from './wait-for';

describe('OpenAI images fake, driven by the openai SDK v6', () => {
  let fake: OpenAIFake;
  let client: OpenAI;

  beforeEach(async () => {
    fake = await startOpenAIFake({ apiKey: 'sk-test' });
    client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  });
  afterEach(() => fake.close());

  it('generates base64 images of the requested size with usage and a request id', async () => {
    const result = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'a red fox',
      size: '1536x1024',
      n: 2,
      quality: 'low',
    });
    expect(result.data).toHaveLength(2);
    const meta = await sharp(Buffer.from(result.data![0].b64_json!, 'base64')).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([1536, 1024, 'png']);
    expect(result.usage?.output_tokens).toBe(2 * 272);
    expect(result._request_id).toMatch(/^req_/);
    expect(fake.calls[0]).toMatchObject({
      endpoint: 'generations',
      model: 'gpt-image-1',
      prompt: 'a red fox',
    });
  });

  it('answers dall-e models with a URL the fake serves', async () => {
    const result = await client.images.generate({ model: 'dall-e-2', prompt: 'a cat', size: '256x256' });
    const bytes = Buffer.from(await (await fetch(result.data![0].url!)).arrayBuffer());
    expect((await sharp(bytes).metadata()).width).toBe(256);
  });

  it('edits from a multipart upload and records the parts', async () => {
    const png = await fakeImage(64, 64);
    const result = await client.images.edit({
      model: 'gpt-image-1',
      image: [
        await toFile(png, 'a.png', { type: 'image/png' }),
        await toFile(png, 'b.png', { type: 'image/png' }),
      ],
      mask: await toFile(png, 'mask.png', { type: 'image/png' }),
      prompt: 'make it blue',
      size: '1024x1024',
      input_fidelity: 'high',
    });
    expect(result.data![0].b64_json).toBeDefined();
    const call = fake.calls[0];
    expect(call.files.map((file) => [file.field, file.filename, file.size])).toEqual([
      ['image[]', 'a.png', png.length],
      ['image[]', 'b.png', png.length],
      ['mask', 'mask.png', png.length],
    ]);
    expect(call.params).toMatchObject({
      prompt: 'make it blue',
      input_fidelity: 'high',
      model: 'gpt-image-1',
    });
  });

  it('streams partial images, then the completed image with usage', async () => {
    const stream = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 'stream me',
      stream: true,
      partial_images: 2,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'image_generation.partial_image',
      'image_generation.partial_image',
      'image_generation.completed',
    ]);
    expect(events[1]).toMatchObject({ partial_image_index: 1, size: '1024x1024' });
    const last = events[2];
    expect(last.type === 'image_generation.completed' && last.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams edits as image_edit.* events', async () => {
    const stream = await client.images.edit({
      model: 'gpt-image-1',
      image: await toFile(await fakeImage(32, 32), 'in.png', { type: 'image/png' }),
      prompt: 'edit',
      stream: true,
      partial_images: 1,
    });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['image_edit.partial_image', 'image_edit.completed']);
  });

  it.each<
    [
      OpenAIFailureKind,
      abstract new (...args: never[]) => InstanceType<typeof OpenAI.APIError>,
      number,
      string,
    ]
  >([
    ['rate_limit', OpenAI.RateLimitError, 429, 'rate_limit_exceeded'],
    ['insufficient_quota', OpenAI.RateLimitError, 429, 'insufficient_quota'],
    ['server_error', OpenAI.InternalServerError, 500, ''],
    ['moderation_blocked', OpenAI.BadRequestError, 400, 'moderation_blocked'],
    ['invalid_api_key', OpenAI.AuthenticationError, 401, 'invalid_api_key'],
  ])('surfaces a scripted %s as the SDK typed error', async (kind, type, status, code) => {
    fake.failNext(kind, { retryAfterSeconds: 7 });
    const error = await client.images
      .generate({ model: 'gpt-image-1', prompt: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.code ?? '').toBe(code);
    expect(apiError.requestID).toMatch(/^req_/);
    if (kind === 'rate_limit') expect(apiError.headers?.get('retry-after')).toBe('7');
    // one-shot: the next call succeeds
    await expect(client.images.generate({ model: 'gpt-image-1', prompt: 'x' })).resolves.toBeDefined();
  });

  it('rejects a wrong key and an unsupported size', async () => {
    const wrong = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-other', maxRetries: 0 });
    await expect(wrong.images.generate({ prompt: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(
      client.images.generate({ model: 'gpt-image-1', prompt: 'x', size: '256x256' }),
    ).rejects.toMatchObject({ status: 400, param: 'size', code: 'invalid_value' });
  });

  it('holds a request until released and records the client abort', async () => {
    const release = fake.hold();
    const controller = new AbortController();
    const pending = client.images.generate({ prompt: 'slow' }, { signal: controller.signal });
    await waitForEvent(fake, 'held');
    const aborted = waitForEvent(fake, 'abort');
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await aborted;
    expect(fake.aborted).toHaveLength(1);
    release();
  });

  it('stalls a stream after N partials so a consumer can cancel mid-stream', async () => {
    const release = fake.stallStreamAfter(1);
    const stream = await client.images.generate({
      model: 'gpt-image-1',
      prompt: 's',
      stream: true,
      partial_images: 3,
    });
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.type);
      stream.controller.abort();
    }
    expect(seen).toEqual(['image_generation.partial_image']);
    release();
  });
});
