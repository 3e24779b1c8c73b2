import { ExternalServiceError } from '@atelier/core';
import { startComfyUIFake, type ComfyUIFake } from '../../../../test/fakes/comfyui.fake';
import { fakeImage } from '../../../../test/fakes/fake-image';
import { ComfyUIClient } from './comfyui-client';
import { ComfyUIPool } from './comfyui-pool';

const txt2img = (extra: Record<string, { class_type: string; inputs: Record<string, unknown> }> = {}) => ({
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 48, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
  '3': { class_type: 'KSampler', inputs: { model: ['4', 0], positive: ['6', 0], latent_image: ['5', 0] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'atelier/t' } },
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExternalServiceError);
  return err as ExternalServiceError;
}

describe('ComfyUIClient against the loopback fake', () => {
  let fake: ComfyUIFake;
  let client: ComfyUIClient;

  beforeEach(async () => {
    fake = await startComfyUIFake({ steps: 3 });
    client = new ComfyUIClient(fake.url, { minPreviewIntervalMs: 0, pollIntervalMs: 20 });
  });
  afterEach(() => fake.close());

  it('queues, follows progress and previews, and reads the outputs from history and /view', async () => {
    const uploaded = await client.uploadImage(await fakeImage(16, 16), 'in.png');
    expect(uploaded).toEqual({ name: 'in.png', subfolder: '', type: 'input' });

    const progress: number[] = [];
    const previews: string[] = [];
    const { promptId } = await client.queuePrompt(txt2img(), 'c1');
    const entry = await client.follow(promptId, 'c1', {
      onProgress: (value, max) => progress.push(value / max),
      onPreview: (buffer, mime) => previews.push(`${mime}:${buffer.subarray(0, 2).toString('hex')}`),
    });
    expect(progress).toEqual([1 / 3, 2 / 3, 1]);
    expect(previews).toEqual(['image/jpeg:ffd8', 'image/jpeg:ffd8', 'image/jpeg:ffd8']);
    const [image] = entry.outputs['9'].images!;
    const bytes = await client.view(image.filename, image.subfolder, image.type);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(fake.prompts[0]).toMatchObject({ promptId, clientId: 'c1' });
  });

  it('turns node_errors from /prompt into a final error naming each node', async () => {
    fake.rejectNextPrompt();
    const err = await rejection(client.queuePrompt(txt2img(), 'c1'));
    expect(err.kind).toBe('rejected');
    expect(err.code).toBe('provider_rejected');
    expect(err.message).toContain(
      "node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name: 'x' not in []",
    );
  });

  it('rejects on execution_error with the node and exception message', async () => {
    fake.failNextExecution({ exceptionMessage: 'CUDA out of memory' });
    const { promptId } = await client.queuePrompt(txt2img(), 'c1');
    const err = await rejection(client.follow(promptId, 'c1'));
    expect(err.kind).toBe('rejected');
    expect(err.message).toBe('comfyui: node 3 (KSampler): RuntimeError: CUDA out of memory');
  });

  it('falls back to polling /history when the socket drops', async () => {
    fake.setManualSteps(true);
    const { promptId } = await client.queuePrompt(txt2img(), 'c1');
    // Greeting + one frame, then the fake cuts the socket; the prompt finishes afterwards.
    fake.dropSocketAfter(2);
    const dropped = new Promise((resolve) => fake.once('ws-dropped', resolve));
    const following = client.follow(promptId, 'c1');
    await fake.waitForStepWaiting();
    fake.step();
    await dropped;
    fake.setManualSteps(false);
    const entry = await following;
    expect(entry.outputs['9'].images).toHaveLength(1);
  });

  it('cancel interrupts the running prompt (only ours) and deletes a pending one', async () => {
    fake.setManualSteps(true);
    const first = await client.queuePrompt(txt2img(), 'c1');
    const second = await client.queuePrompt(txt2img(), 'c1');
    const abort = new AbortController();
    const following = client.follow(first.promptId, 'c1', { signal: abort.signal });
    await fake.waitForStepWaiting();

    expect(await client.interrupt(second.promptId)).toBe(false);
    expect(await client.cancel(second.promptId)).toBe('deleted');
    expect(fake.deletes).toEqual([second.promptId]);

    abort.abort(new Error('cancelled by the user'));
    await expect(following).rejects.toThrow('cancelled by the user');
    expect(await client.cancel(first.promptId)).toBe('interrupted');
    expect(fake.interrupts).toEqual([{ promptId: first.promptId, interrupted: first.promptId }]);
  });

  it('passes on at most one preview per interval, and the latest held back one at the end', async () => {
    const slow = new ComfyUIClient(fake.url, { minPreviewIntervalMs: 60_000 });
    const previews: string[] = [];
    const { promptId } = await slow.queuePrompt(txt2img(), 'c2');
    await slow.follow(promptId, 'c2', { onPreview: (_buffer, mime) => previews.push(mime) });
    expect(previews).toEqual(['image/jpeg', 'image/jpeg']);
  });
});

describe('ComfyUIPool', () => {
  let busy: ComfyUIFake;
  let idle: ComfyUIFake;

  beforeEach(async () => {
    [busy, idle] = await Promise.all([startComfyUIFake(), startComfyUIFake()]);
  });
  afterEach(() => Promise.all([busy.close(), idle.close()]));

  it('picks the least busy healthy server and skips an unreachable one', async () => {
    busy.setManualSteps(true);
    const pool = new ComfyUIPool(['http://127.0.0.1:1', busy.url, idle.url]);
    await pool.clients[1].queuePrompt(txt2img(), 'c1');
    await busy.waitForStepWaiting();
    expect((await pool.pick()).baseUrl).toBe(`${idle.url}/`);
    expect((await pool.status()).map((s) => [s.healthy, s.running])).toEqual([
      [false, 0],
      [true, 1],
      [true, 0],
    ]);
  });

  it('fails retryably when no server answers', async () => {
    const err = await rejection(new ComfyUIPool(['http://127.0.0.1:1']).pick());
    expect(err.kind).toBe('retryable');
  });
});
