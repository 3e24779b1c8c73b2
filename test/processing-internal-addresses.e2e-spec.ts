import { startComfyUIFake, type ComfyUIFake } from './fakes/comfyui.fake';
import { streamJobEvents, submitJob, waitForJobEnd } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

describe('job responses reveal no provider address', () => {
  let t: TestApp;
  let fake: ComfyUIFake;
  let alice: TestUser;

  beforeAll(async () => {
    fake = await startComfyUIFake({ steps: 2 });
    t = await startTestApp({ COMFYUI_URL: fake.url, FEATURES: 'images,processing' });
    alice = await createUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('keeps the ComfyUI server address out of the job, its list, its events and the provider list', async () => {
    const workflows = await t.http.get('/api/v1/workflows/simplified').set(alice.auth).expect(200);
    const workflowId = workflows.body.items.find((w: { type: string }) => w.type === 'txt2img').id;
    const submitted = await submitJob(t, alice, {
      type: 'workflow',
      workflowId,
      params: { prompt: 'a fox' },
    });
    expect(submitted.status).toBe(202);
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.usage).toMatchObject({ promptId: job.providerRequestId });

    const answers = [
      JSON.stringify(submitted.body),
      JSON.stringify(job),
      JSON.stringify((await t.http.get('/api/v1/jobs').set(alice.auth).expect(200)).body),
      JSON.stringify(await streamJobEvents(t, alice, job.id)),
      JSON.stringify((await t.http.get('/api/v1/providers').set(alice.auth).expect(200)).body),
    ];
    const { host } = new URL(fake.url);
    for (const answer of answers) expect(answer).not.toContain(host);
  });
});
