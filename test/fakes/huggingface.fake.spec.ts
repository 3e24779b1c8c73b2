import { InferenceClient, InferenceClientProviderApiError } from '@huggingface/inference';
import sharp from 'sharp';
import { startHuggingFaceFake, type HuggingFaceFake } from './huggingface.fake';

describe('Hugging Face fake, driven by @huggingface/inference v4', () => {
  const model = 'black-forest-labs/FLUX.1-dev';
  let fake: HuggingFaceFake;
  const client = new InferenceClient('hf_test');

  beforeEach(async () => {
    fake = await startHuggingFaceFake({ token: 'hf_test' });
  });
  afterEach(() => fake.close());

  const generate = (target: InferenceClient = client, endpointUrl?: string) =>
    target.textToImage(
      {
        model,
        ...(endpointUrl ? { endpointUrl } : {}),
        inputs: 'a lighthouse',
        parameters: { width: 512, height: 384, num_inference_steps: 4, guidance_scale: 3.5, seed: 7 },
      },
      { outputType: 'blob', retry_on_error: false },
    );

  it('answers /models/{id} (via endpointUrl) with image bytes of the requested size', async () => {
    const blob = await generate(client, fake.modelUrl(model));
    const meta = await sharp(Buffer.from(await blob.arrayBuffer())).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([512, 384, 'jpeg']);
    expect(fake.calls[0]).toMatchObject({
      route: 'serverless',
      modelId: model,
      authorization: 'Bearer hf_test',
      inputs: 'a lighthouse',
      parameters: { width: 512, height: 384, num_inference_steps: 4, seed: 7 },
    });
  });

  it('answers a dedicated endpoint reached with client.endpoint(url)', async () => {
    await generate(client.endpoint(fake.endpointUrl));
    expect(fake.calls[0]).toMatchObject({ route: 'endpoint', modelId: undefined });
  });

  it('reports a loading model as 503 with estimated_time', async () => {
    fake.failNext({ kind: 'loading', estimatedTime: 12.5 });
    const error = await generate(client, fake.modelUrl(model)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceClientProviderApiError);
    const { httpResponse } = error as InferenceClientProviderApiError;
    expect(httpResponse.status).toBe(503);
    expect(httpResponse.body).toEqual({ error: `Model ${model} is currently loading`, estimated_time: 12.5 });
  });

  it.each([
    ['rate_limit', 429],
    ['unauthorized', 401],
    ['bad_request', 400],
  ] as const)('surfaces a scripted %s as HTTP %i', async (kind, status) => {
    fake.failNext({ kind });
    const error = (await generate(client, fake.modelUrl(model)).catch(
      (e: unknown) => e,
    )) as InferenceClientProviderApiError;
    expect(error.httpResponse.status).toBe(status);
  });

  it('rejects a wrong token with 401', async () => {
    const error = (await generate(new InferenceClient('hf_wrong'), fake.modelUrl(model)).catch(
      (e: unknown) => e,
    )) as InferenceClientProviderApiError;
    expect(error.httpResponse.status).toBe(401);
  });
});
