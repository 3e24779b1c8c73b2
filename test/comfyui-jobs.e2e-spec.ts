import { EventEmitter } from 'node:events';
import { io } from 'socket.io-client';
import { startComfyUIFake, type ComfyUIFake } from './fakes/comfyui.fake';
import { waitFor } from './fakes/wait-for';
import { imageBytes } from './support/images';
import {
  streamJobEvents,
  submitJob,
  uploadImage,
  waitForJobEnd,
  type JobView,
  type StreamedEvent,
} from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

interface WorkflowJobParams {
  width: number;
  height: number;
  seed: number;
  workflow: { supplied: Record<string, unknown>; drawn: Record<string, number> };
}
/** What a workflow job records in `params` (see catalog/workflow-job.ts). */
const paramsOf = (job: JobView) => job.params as WorkflowJobParams;

describe('ComfyUI workflow jobs, end to end against the fake', () => {
  let t: TestApp;
  let fake: ComfyUIFake;
  let alice: TestUser;
  let txt2img: string;
  let img2img: string;

  const runTxt2img = (params: Record<string, unknown> = {}) =>
    submitJob(t, alice, { type: 'workflow', workflowId: txt2img, params: { prompt: 'a fox', ...params } });

  beforeAll(async () => {
    fake = await startComfyUIFake({ steps: 3 });
    // Only what workflows need: booting fewer features keeps the file fast.
    t = await startTestApp({ COMFYUI_URL: fake.url, FEATURES: 'images,processing' });
    alice = await createUser(t);
    const list = await t.http.get('/api/v1/workflows/simplified').set(alice.auth);
    const idOf = (type: string) => list.body.items.find((w: { type: string }) => w.type === type).id;
    [txt2img, img2img] = [idOf('txt2img'), idOf('img2img')];
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  afterEach(() => fake.setManualSteps(false));

  it('fills the graph structurally: quotes and braces stay text, numbers stay numbers, the seed is recorded', async () => {
    const prompt = 'He said "hi" {{seed}} }{ \\"}, "x": [1] \u2014 $& done';
    const submitted = await runTxt2img({ prompt, steps: 4, width: 512 });
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      provider: 'comfyui',
      model: 'sd_xl_base_1.0.safetensors',
    });
    expect(job.resultImageIds).toHaveLength(1);

    const drawn = paramsOf(job).workflow.drawn.seed;
    expect(Number.isInteger(drawn)).toBe(true);
    expect(paramsOf(job)).toMatchObject({ seed: drawn, width: 512, height: 1024, n: 1 });
    const sent = fake.prompts.find((p) => p.promptId === job.providerRequestId)!.graph;
    expect(sent['6'].inputs.text).toBe(prompt);
    expect(sent['7'].inputs.text).toBe('');
    expect(sent['3'].inputs).toMatchObject({ seed: drawn, steps: 4, cfg: 7, denoise: 1 });
    expect(sent['5'].inputs).toMatchObject({ width: 512, height: 1024 });
    expect(sent['4'].inputs.ckpt_name).toBe('sd_xl_base_1.0.safetensors');
  });

  it('streams progress and previews in order over SSE and socket.io', async () => {
    const socket = io(`${t.url}/events`, {
      transports: ['websocket'],
      auth: { token: alice.accessToken },
      reconnection: false,
    });
    await new Promise<void>((resolve) => socket.once('ready', () => resolve()));
    const seen = new EventEmitter();
    const relayed: { jobId: string; type: string; seq: number }[] = [];
    socket.on('job.event', (event: { jobId: string; type: string; seq: number }) => {
      relayed.push(event);
      seen.emit('socket');
    });
    fake.setManualSteps(true);
    const submitted = await runTxt2img();
    const events: StreamedEvent[] = [];
    const streaming = streamJobEvents(t, alice, submitted.body.id, {
      onEvent: (event) => {
        events.push(event);
        seen.emit('event');
      },
    });
    const previews = () => events.filter((e) => e.event === 'preview').length;
    for (let step = 1; step <= 3; step++) {
      await fake.waitForStepWaiting();
      fake.step();
      await waitFor(seen, 'event', () => previews() >= step, { description: `preview ${step}` });
    }
    await streaming;
    const types = events.map((e) => e.event);
    expect(types.filter((type) => type === 'preview')).toHaveLength(3);
    expect(types.at(-1)).toBe('completed');
    const percents = events.filter((e) => e.event === 'progress').map((e) => e.data.data.percent);
    expect(percents).toEqual([33, 66, 99]);
    // Each preview follows the progress step it shows; sequence numbers only grow.
    types.forEach((type, index) => type === 'preview' && expect(types[index - 1]).toBe('progress'));
    const seqs = events.map((e) => e.data.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(events.find((e) => e.event === 'preview')!.data.data.mime).toBe('image/jpeg');

    await waitFor(
      seen,
      'socket',
      () => relayed.some((e) => e.jobId === submitted.body.id && e.type === 'completed'),
      {
        description: 'the completed event over socket.io',
      },
    );
    socket.close();
    const overSocket = relayed.filter((e) => e.jobId === submitted.body.id);
    expect(overSocket.map((e) => [e.type, e.seq])).toEqual(events.map((e) => [e.event, e.data.seq]));
  });

  it('listens before queueing: a prompt that runs before POST /prompt answers keeps its progress and previews', async () => {
    fake.answerNextAfterRunning();
    const submitted = await runTxt2img();
    const { job, events } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    // Every frame went out before the answer: only a socket opened before the prompt saw them.
    const percents = events.filter((e) => e.event === 'progress').map((e) => e.data.data.percent);
    expect(percents).toEqual([33, 66, 99]);
    expect(events.filter((e) => e.event === 'preview').length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)!.event).toBe('completed');
  });

  it("feeds ComfyUI's own queue into the socket.io queue.status broadcast", async () => {
    fake.setManualSteps(true);
    const submitted = await runTxt2img();
    await fake.waitForStepWaiting({ timeoutMs: 15_000 });
    const socket = io(`${t.url}/events`, {
      transports: ['websocket'],
      auth: { token: alice.accessToken },
      reconnection: false,
    });
    try {
      const status = await new Promise<Record<string, unknown>>((resolve) =>
        socket.once('queue.status', (s: Record<string, unknown>) => resolve(s)),
      );
      expect(status.comfyui).toEqual({ servers: 1, healthy: 1, running: 1, pending: 0 });
    } finally {
      socket.close();
    }
    fake.setManualSteps(false);
    expect((await waitForJobEnd(t, alice, submitted.body.id)).job.status).toBe('succeeded');
  });

  it('uploads image parameters to ComfyUI before an img2img run', async () => {
    const imageId = await uploadImage(t, alice, await imageBytes('png', 64, 48));
    const submitted = await submitJob(t, alice, {
      type: 'workflow',
      workflowId: img2img,
      params: { image: imageId, prompt: 'in watercolour', denoise: 0.35 },
    });
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    const upload = fake.uploads.find((u) => u.name.includes(job.id))!;
    expect(upload).toMatchObject({ type: 'input', overwrite: true });
    const sent = fake.prompts.find((p) => p.promptId === job.providerRequestId)!.graph;
    expect(sent['10'].inputs.image).toBe(upload.name);
    expect(sent['3'].inputs.denoise).toBe(0.35);
  });

  it('fails the job with the node message on execution_error; a retry reruns what the user gave', async () => {
    fake.failNextExecution({ exceptionMessage: 'CUDA out of memory' });
    const submitted = await runTxt2img({ steps: 5 });
    const { job, events } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({
      code: 'provider_rejected',
      message: 'comfyui: node 3 (KSampler): RuntimeError: CUDA out of memory',
    });
    expect(events.at(-1)!.event).toBe('failed');

    const retried = await t.http.post(`/api/v1/jobs/${job.id}/retry`).set(alice.auth);
    expect(retried.status).toBe(202);
    const again = await waitForJobEnd(t, alice, retried.body.id);
    expect(again.job).toMatchObject({ status: 'succeeded', retryOfId: job.id });
    expect(paramsOf(again.job).workflow.supplied).toEqual({ prompt: 'a fox', steps: 5 });
    const sent = fake.prompts.find((p) => p.promptId === again.job.providerRequestId)!.graph;
    expect(sent['3'].inputs.seed).toBe(paramsOf(again.job).workflow.drawn.seed);
  });

  it('fails the job with the node messages when /prompt refuses the graph', async () => {
    fake.rejectNextPrompt();
    const submitted = await runTxt2img();
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('provider_rejected');
    expect(job.error?.message).toContain('node 4 (CheckpointLoaderSimple): Value not in list');
  });

  it('sends an interrupt for the running prompt when the job is cancelled', async () => {
    fake.setManualSteps(true);
    const submitted = await runTxt2img();
    const waiting = await fake.waitForStepWaiting({ timeoutMs: 15_000 });
    const cancelled = await t.http.post(`/api/v1/jobs/${submitted.body.id}/cancel`).set(alice.auth);
    expect(cancelled.status).toBe(200);
    const interrupt = await waitFor(
      fake,
      'interrupt',
      () => fake.interrupts.find((i) => i.promptId === waiting.promptId),
      { description: 'an interrupt of the running prompt' },
    );
    expect(interrupt.interrupted).toBe(waiting.promptId);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('cancelled');
    expect(fake.history.get(waiting.promptId)?.status.status_str).toBe('error');
  });

  it('completes the job from /history when the socket drops mid-run', async () => {
    fake.setManualSteps(true);
    const dropped = new Promise((resolve) => fake.once('ws-dropped', resolve));
    // The greeting and one more frame, then the fake cuts the app's socket.
    fake.dropSocketAfter(2);
    const submitted = await runTxt2img();
    await fake.waitForStepWaiting({ timeoutMs: 15_000 });
    fake.step();
    await dropped;
    fake.setManualSteps(false);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.resultImageIds).toHaveLength(1);
  });
});
