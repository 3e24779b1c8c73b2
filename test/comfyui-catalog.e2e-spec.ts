import { startComfyUIFake, type ComfyUIFake } from './fakes/comfyui.fake';
import { imageBytes } from './support/images';
import { submitJob, uploadImage, waitForJobEnd } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

const TXT2IMG = 'Text to image (SDXL)';
const IMG2IMG = 'Image to image (SDXL)';

const graph = (text: string) => ({
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'x.safetensors' } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text, clip: ['4', 1] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['6', 0], filename_prefix: 'atelier/test' } },
});

describe('ComfyUI catalogue: models, workflows, plan links and parameter checks', () => {
  let t: TestApp;
  let fake: ComfyUIFake;
  let admin: TestUser;
  let alice: TestUser;
  let freePlanId: string;
  const workflowIdByName = new Map<string, string>();

  beforeAll(async () => {
    fake = await startComfyUIFake();
    // Only what workflows need: booting fewer features keeps the file fast.
    t = await startTestApp({ COMFYUI_URL: fake.url, FEATURES: 'images,processing' });
    [admin, alice] = await Promise.all([createUser(t, { role: 'admin' }), createUser(t)]);
    [{ id: freePlanId }] = await t.db.query(`SELECT id FROM plans WHERE slug = 'free'`);
    const list = await t.http.get('/api/v1/workflows').set(admin.auth);
    for (const w of list.body.items) workflowIdByName.set(w.name, w.id);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('seeds the txt2img and img2img workflows, their model and the plan links', async () => {
    const simplified = await t.http.get('/api/v1/workflows/simplified').set(alice.auth);
    expect(simplified.status).toBe(200);
    const names = simplified.body.items.map((w: { name: string }) => w.name).sort();
    expect(names).toEqual([IMG2IMG, TXT2IMG]);
    expect(Object.keys(simplified.body.items[0]).sort()).toEqual(
      ['createdAt', 'description', 'id', 'model', 'name', 'type'].sort(),
    );
    expect(simplified.body.items[0].model).toMatchObject({ name: 'SDXL base 1.0' });

    const models = await t.http.get('/api/v1/models').set(alice.auth);
    expect(models.body.items.map((m: { identifier: string }) => m.identifier)).toEqual([
      'sd_xl_base_1.0.safetensors',
    ]);

    // Users see the parameter definitions but not the operator's graph; admins see both.
    const asUser = await t.http.get(`/api/v1/workflows/${workflowIdByName.get(TXT2IMG)}`).set(alice.auth);
    expect(asUser.body.graph).toBeUndefined();
    expect(asUser.body.parameterDefinitions.map((d: { name: string }) => d.name)).toContain('seed');
    const asAdmin = await t.http.get(`/api/v1/workflows/${workflowIdByName.get(TXT2IMG)}`).set(admin.auth);
    expect(asAdmin.body.graph['6'].inputs.text).toBe('{{prompt}}');
  });

  it('refuses a workflow whose placeholders and definitions do not match, naming each mismatch', async () => {
    const res = await t.http
      .post('/api/v1/workflows')
      .set(admin.auth)
      .send({
        name: 'Broken',
        type: 'txt2img',
        graph: graph('{{prompt}}, in the style of {{style}}'),
        parameterDefinitions: [
          { name: 'prompt', type: 'string', required: true },
          { name: 'unused', type: 'int', default: 1 },
        ],
      });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'graph.6.inputs.text', message: 'placeholder {{style}} has no parameter definition' },
        {
          field: 'parameterDefinitions[1].name',
          message: 'parameter "unused" is not used by any {{unused}} in the graph',
        },
      ]),
    );
    expect(res.body.errors).toHaveLength(2);

    const unknownModel = await t.http
      .post('/api/v1/workflows')
      .set(admin.auth)
      .send({
        name: 'No model',
        type: 'txt2img',
        modelId: '00000000-0000-4000-8000-000000000000',
        graph: graph('fixed'),
        parameterDefinitions: [],
      });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.body.errors).toEqual([{ field: 'modelId', message: 'does not exist' }]);

    const notAdmin = await t.http
      .post('/api/v1/workflows')
      .set(alice.auth)
      .send({ name: 'Mine', type: 'txt2img', graph: graph('x'), parameterDefinitions: [] });
    expect(notAdmin.status).toBe(403);
  });

  it('creates, updates (re-validated) and deletes a workflow', async () => {
    const created = await t.http
      .post('/api/v1/workflows')
      .set(admin.auth)
      .send({
        name: 'Poster',
        type: 'txt2img',
        segment: 'print',
        graph: graph('{{prompt}}'),
        parameterDefinitions: [{ name: 'prompt', type: 'string', required: true }],
      });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const badPatch = await t.http
      .patch(`/api/v1/workflows/${id}`)
      .set(admin.auth)
      .send({ graph: graph('{{prompt}} {{mood}}') });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors).toEqual([
      { field: 'graph.6.inputs.text', message: 'placeholder {{mood}} has no parameter definition' },
    ]);
    const patched = await t.http
      .patch(`/api/v1/workflows/${id}`)
      .set(admin.auth)
      .send({ description: 'For posters' });
    expect(patched.body).toMatchObject({ description: 'For posters', segment: 'print' });

    const duplicate = await t.http
      .post('/api/v1/workflows')
      .set(admin.auth)
      .send({ name: 'Poster', type: 'txt2img', graph: graph('x'), parameterDefinitions: [] });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'workflow_name_taken']);

    expect((await t.http.delete(`/api/v1/workflows/${id}`).set(admin.auth)).status).toBe(204);
    expect((await t.http.get(`/api/v1/workflows/${id}`).set(admin.auth)).status).toBe(404);
  });

  it('takes the result from the node titled "Output" (Art Engine\'s _meta.title marker)', async () => {
    const marked = {
      ...graph('{{prompt}}'),
      '10': { class_type: 'PreviewImage', inputs: { images: ['6', 0] }, _meta: { title: 'Output' } },
    };
    const created = await t.http
      .post('/api/v1/workflows')
      .set(admin.auth)
      .send({
        name: 'Titled output',
        type: 'txt2img',
        graph: marked,
        parameterDefinitions: [{ name: 'prompt', type: 'string', required: true }],
      })
      .expect(201);
    await t.http
      .put(`/api/v1/plans/${freePlanId}/workflows`)
      .set(admin.auth)
      .send({ workflowIds: [...workflowIdByName.values(), created.body.id] })
      .expect(200);

    const submitted = await submitJob(t, alice, {
      type: 'workflow',
      workflowId: created.body.id,
      params: { prompt: 'a heron' },
    });
    const { job } = await waitForJobEnd(t, alice, submitted.body.id);
    expect(job.status).toBe('succeeded');
    // SaveImage (node 9) writes `output` files, PreviewImage (node 10) `temp` ones: the job read node 10's.
    const views = fake.requests.filter((r) => r.path === '/view').map((r) => r.query.get('type'));
    expect(views).toEqual(['temp']);
  });

  it('gates workflows and models by plan: hidden from lists, 403 plan_forbids on a job', async () => {
    const model = await t.http
      .post('/api/v1/models')
      .set(admin.auth)
      .send({
        name: 'Premium checkpoint',
        provider: 'comfyui',
        identifier: 'premium.safetensors',
        parameterDefinitions: { ckpt_name: 'premium.safetensors' },
      });
    expect(model.status).toBe(201);
    const workflow = await t.http
      .post('/api/v1/workflows')
      .set(admin.auth)
      .send({
        name: 'Premium only',
        type: 'txt2img',
        modelId: model.body.id,
        graph: graph('{{prompt}}'),
        parameterDefinitions: [{ name: 'prompt', type: 'string', required: true }],
      });
    const workflowId = workflow.body.id;

    expect((await t.http.get(`/api/v1/workflows/${workflowId}`).set(alice.auth)).status).toBe(404);
    const denied = await submitJob(t, alice, { type: 'workflow', workflowId, params: { prompt: 'x' } });
    expect([denied.status, denied.body.code]).toEqual([403, 'plan_forbids']);

    // Linking the workflow is not enough while its model is outside the plan.
    const linked = await t.http
      .put(`/api/v1/plans/${freePlanId}/workflows`)
      .set(admin.auth)
      .send({ workflowIds: [...workflowIdByName.values(), workflowId] });
    expect(linked.status).toBe(200);
    expect(
      (await submitJob(t, alice, { type: 'workflow', workflowId, params: { prompt: 'x' } })).status,
    ).toBe(403);

    const models = await t.http.get(`/api/v1/plans/${freePlanId}/models`).set(admin.auth);
    await t.http
      .put(`/api/v1/plans/${freePlanId}/models`)
      .set(admin.auth)
      .send({ modelIds: [...models.body.modelIds, model.body.id] });
    const visible = await t.http.get('/api/v1/models').set(alice.auth);
    expect(visible.body.items.map((m: { name: string }) => m.name)).toContain('Premium checkpoint');
    const allowed = await submitJob(t, alice, { type: 'workflow', workflowId, params: { prompt: 'x' } });
    expect(allowed.status).toBe(202);
    expect(allowed.body).toMatchObject({ provider: 'comfyui', model: 'premium.safetensors' });
  });

  it('reports every parameter problem at once: missing, unknown, out of range, wrong type', async () => {
    const res = await submitJob(t, alice, {
      type: 'workflow',
      workflowId: workflowIdByName.get(TXT2IMG),
      params: { steps: 500, width: '512', height: 2048, colour: 'red', cfg: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const byField = Object.fromEntries(
      res.body.errors.map((e: { field: string; message: string }) => [e.field, e.message]),
    );
    expect(byField).toEqual({
      'params.prompt': 'is required',
      'params.colour': expect.stringContaining('is not a parameter of this workflow'),
      'params.steps': 'must be at most 100',
      'params.width': 'must be an integer (got a string)',
      'params.cfg': 'must be a number (got a boolean)',
      'params.height': 'your plan allows at most 1024 px a side',
    });
    const missingId = await submitJob(t, alice, { type: 'workflow', params: { prompt: 'x' } });
    expect(missingId.status).toBe(400);
    expect(missingId.body.errors).toEqual([{ field: 'workflowId', message: expect.any(String) }]);
  });

  it('takes only the caller’s own images as image parameters', async () => {
    const bob = await createUser(t);
    const bobsImage = await uploadImage(t, bob, await imageBytes('png'));
    const res = await submitJob(t, alice, {
      type: 'workflow',
      workflowId: workflowIdByName.get(IMG2IMG),
      params: { image: bobsImage, prompt: 'make it blue' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'params.image', message: 'is not one of your images' }]);
  });
});
