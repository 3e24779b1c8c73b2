import { EventEmitter } from 'node:events';
import sharp from 'sharp';
import WebSocket from 'ws';
import { startComfyUIFake, type ComfyUIFake } from './comfyui.fake';
import type { ComfyGraph } from './comfyui-graph';
import { fakeImage } from './fake-image';
import { waitFor } from './wait-for';
import { readJson } from './spec-json';

/** A ComfyUI socket client that keeps every frame, the way the app's listener would see them. */
class Listener extends EventEmitter {
  readonly messages: Array<{ type: string; data: Record<string, unknown> }> = [];
  readonly previews: Array<{ event: number; format: number; image: Buffer }> = [];
  closed = false;
  private constructor(readonly socket: WebSocket) {
    super();
    socket.on('message', (raw: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.previews.push({
          event: raw.readUInt32BE(0),
          format: raw.readUInt32BE(4),
          image: raw.subarray(8),
        });
      } else {
        this.messages.push(JSON.parse(raw.toString()));
      }
      this.emit('frame');
    });
    socket.on('close', () => ((this.closed = true), this.emit('frame')));
  }
  static async open(url: string, clientId: string): Promise<Listener> {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws?clientId=${clientId}`);
    const listener = new Listener(socket);
    await waitFor(listener, 'frame', () => listener.messages.length > 0);
    return listener;
  }
  types(promptId: string): string[] {
    return this.messages.filter((m) => m.data.prompt_id === promptId).map((m) => m.type);
  }
  until(check: () => boolean): Promise<true> {
    return waitFor(this, 'frame', () => check() || undefined);
  }
  finished(promptId: string): Promise<true> {
    return this.until(() =>
      this.messages.some(
        (m) => m.type === 'executing' && m.data.node === null && m.data.prompt_id === promptId,
      ),
    );
  }
}

const txt2img = (extra: ComfyGraph = {}): ComfyGraph => ({
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 256, height: 192, batch_size: 2 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
  '3': {
    class_type: 'KSampler',
    inputs: { model: ['4', 0], positive: ['6', 0], latent_image: ['5', 0], steps: 3 },
  },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'atelier/job1' } },
  ...extra,
});

describe('ComfyUI fake, driven over HTTP and ws', () => {
  let fake: ComfyUIFake;
  const post = (path: string, body: unknown) =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = async (path: string) => readJson(await fetch(`${fake.url}${path}`));

  beforeEach(async () => {
    fake = await startComfyUIFake({ steps: 3 });
  });
  afterEach(() => fake.close());

  it('runs an img2img prompt: events in ComfyUI order, binary previews, history and /view', async () => {
    const ws = await Listener.open(fake.url, 'c1');
    expect(ws.messages[0]).toMatchObject({ type: 'status', data: { sid: 'c1' } });

    const form = new FormData();
    form.append('image', new Blob([await fakeImage(32, 32)], { type: 'image/png' }), 'in.png');
    form.append('type', 'input');
    form.append('overwrite', 'true');
    const uploaded = await readJson(await fetch(`${fake.url}/upload/image`, { method: 'POST', body: form }));
    expect(uploaded).toEqual({ name: 'in.png', subfolder: '', type: 'input' });

    const graph = txt2img({
      '10': { class_type: 'LoadImage', inputs: { image: 'in.png' } },
      '11': { class_type: 'VAEEncode', inputs: { pixels: ['10', 0], vae: ['4', 2] } },
    });
    graph['3'].inputs.latent_image = ['11', 0];
    const response = await post('/prompt', { prompt: graph, client_id: 'c1' });
    const { prompt_id: promptId, number, node_errors } = await readJson(response);
    expect([response.status, number, node_errors]).toEqual([200, 0, {}]);
    await ws.finished(promptId);

    const types = ws.types(promptId);
    expect(types.slice(0, 2)).toEqual(['execution_start', 'execution_cached']);
    expect(types.filter((t) => t === 'progress')).toHaveLength(3);
    expect(types.slice(-3)).toEqual(['executed', 'execution_success', 'executing']);
    expect(types.indexOf('executing')).toBeLessThan(types.indexOf('progress'));
    expect(ws.previews).toHaveLength(3);
    expect(ws.previews[0]).toMatchObject({ event: 1, format: 1 });
    expect((await sharp(ws.previews[0].image).metadata()).format).toBe('jpeg');

    const history = (await get(`/history/${promptId}`))[promptId];
    expect(history.status).toMatchObject({ status_str: 'success', completed: true });
    const images = history.outputs['9'].images;
    expect(images).toEqual([
      { filename: 'job1_00001_.png', subfolder: 'atelier', type: 'output' },
      { filename: 'job1_00002_.png', subfolder: 'atelier', type: 'output' },
    ]);
    const view = await fetch(`${fake.url}/view?filename=job1_00001_.png&subfolder=atelier&type=output`);
    const meta = await sharp(Buffer.from(await view.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([256, 192]);
    expect(fake.prompts[0].graph).toEqual(graph);
    expect(fake.uploads).toEqual([
      { name: 'in.png', subfolder: '', type: 'input', size: expect.any(Number), overwrite: true },
    ]);
    ws.socket.close();
  });

  it('refuses invalid graphs the way ComfyUI does', async () => {
    const missing = await post('/prompt', { prompt: { '1': { inputs: {} } } });
    expect(missing.status).toBe(400);
    expect((await readJson(missing)).error.type).toBe('invalid_prompt');

    const noOutputs = await post('/prompt', { prompt: { '1': { class_type: 'KSampler', inputs: {} } } });
    expect((await readJson(noOutputs)).error.type).toBe('prompt_no_outputs');

    const notUploaded = await post('/prompt', {
      prompt: txt2img({ '10': { class_type: 'LoadImage', inputs: { image: 'nope.png' } } }),
    });
    const body = await readJson(notUploaded);
    expect(body.error.type).toBe('prompt_outputs_failed_validation');
    expect(body.node_errors['10'].errors[0].type).toBe('value_not_in_list');

    fake.rejectNextPrompt();
    const scripted = await post('/prompt', { prompt: txt2img() });
    expect(scripted.status).toBe(400);
    expect(Object.keys((await readJson(scripted)).node_errors)).toEqual(['4']);
    expect(fake.prompts).toHaveLength(0);
  });

  it('manual steps: queue, delete a pending prompt, interrupt only the running one', async () => {
    fake.setManualSteps(true);
    const ws = await Listener.open(fake.url, 'c2');
    const first = (await readJson(await post('/prompt', { prompt: txt2img(), client_id: 'c2' }))).prompt_id;
    const second = (await readJson(await post('/prompt', { prompt: txt2img(), client_id: 'c2' }))).prompt_id;
    await fake.waitForStepWaiting();
    const queue = await get('/queue');
    expect(queue.queue_running.map((item: unknown[]) => item[1])).toEqual([first]);
    expect(queue.queue_pending.map((item: unknown[]) => item[1])).toEqual([second]);

    fake.step();
    await ws.until(() => ws.messages.some((m) => m.type === 'progress' && m.data.value === 1));
    expect(ws.messages.filter((m) => m.type === 'progress')).toHaveLength(1);

    await post('/queue', { delete: [second] });
    await post('/interrupt', { prompt_id: second }); // not running: ignored
    expect(fake.interrupts.at(-1)).toEqual({ promptId: second, interrupted: null });
    await post('/interrupt', { prompt_id: first });
    const history = await fake.waitForHistory(first);
    expect(history.status).toMatchObject({ status_str: 'error', completed: false });
    await ws.finished(first);
    expect(ws.types(first)).toContain('execution_interrupted');
    expect(fake.deletes).toEqual([second]);
    expect((await get('/queue')).queue_pending).toEqual([]);
    ws.socket.close();
  });

  it('reports a scripted execution_error in the socket and in history', async () => {
    fake.failNextExecution({ exceptionMessage: 'CUDA out of memory' });
    const ws = await Listener.open(fake.url, 'c3');
    const id = (await readJson(await post('/prompt', { prompt: txt2img(), client_id: 'c3' }))).prompt_id;
    await ws.finished(id);
    const error = ws.messages.find((m) => m.type === 'execution_error');
    expect(error?.data).toMatchObject({
      node_id: '3',
      node_type: 'KSampler',
      exception_message: 'CUDA out of memory',
    });
    expect((await get(`/history/${id}`))[id].status.status_str).toBe('error');
    ws.socket.close();
  });

  it('drops the socket after N frames while the prompt still completes in /history', async () => {
    const ws = await Listener.open(fake.url, 'c4');
    fake.dropSocketAfter(3);
    const id = (await readJson(await post('/prompt', { prompt: txt2img(), client_id: 'c4' }))).prompt_id;
    await ws.until(() => ws.closed);
    const history = await fake.waitForHistory(id);
    expect(history.status.status_str).toBe('success');
    expect(ws.messages.some((m) => m.type === 'execution_success')).toBe(false);
  });

  it('answers health and catalogue routes', async () => {
    expect((await get('/system_stats')).system.comfyui_version).toBeDefined();
    expect(Object.keys(await get('/object_info'))).toContain('KSampler');
    expect(await get('/history/unknown')).toEqual({});
  });
});
