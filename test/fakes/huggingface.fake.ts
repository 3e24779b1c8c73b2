import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, Script } from './fake-http-server';
import { contentTypeOf, fakeImage } from './fake-image';
import { bearerToken, sendBytes, sendJson, type RecordedRequest } from './recorded-request';

/*
 * Hugging Face inference fake. Sources: providers.md § Hugging Face; huggingface.co/docs/api-inference
 * (text-to-image body `{inputs, parameters:{negative_prompt,width,height,num_inference_steps,
 * guidance_scale,seed}}`, raw image bytes back; 503 `{"error":"Model … is currently loading",
 * "estimated_time":…}`; 429 rate limit; errors as `{"error": "…"}`).
 *
 * How @huggingface/inference v4 reaches it (read in node_modules/@huggingface/inference, v4.13):
 * the serverless route is hard-wired to https://router.huggingface.co/hf-inference/models/{model}
 * and needs a Hub lookup, so the SDK cannot be given another base URL for it. With `endpointUrl`
 * (or `client.endpoint(url)`) it POSTs to that URL verbatim with provider `hf-inference`. So the
 * app (and these tests) point `endpointUrl` at `${HF_ENDPOINT_URL}/models/${model}` for the
 * serverless shape, or at the dedicated endpoint URL. NB: the SDK retries 503 forever unless
 * the call passes `{ retry_on_error: false }` — the app must, so its own backoff applies.
 */

export type HuggingFaceFailure =
  | { kind: 'loading'; estimatedTime?: number }
  | { kind: 'rate_limit' }
  | { kind: 'unauthorized' }
  | { kind: 'bad_request'; message?: string };

export interface HuggingFaceFakeOptions {
  /** When set, other bearer tokens get 401. */
  token?: string;
  /** Answer `image/jpeg` (default, as FLUX on hf-inference) or `image/png`. */
  format?: 'jpeg' | 'png';
  /** Delay before answering (cancel tests). */
  delayMs?: number;
}

/** One text-to-image call as the fake understood it. */
export interface HuggingFaceCall {
  /** `org/name` for `/models/{id}` calls, undefined for the dedicated endpoint. */
  modelId?: string;
  route: 'serverless' | 'endpoint';
  authorization?: string;
  inputs: unknown;
  parameters: Record<string, unknown>;
}

const DEDICATED_PATH = '/endpoints/default';

export class HuggingFaceFake extends FakeHttpServer {
  readonly calls: HuggingFaceCall[] = [];
  private readonly failures = new Script<HuggingFaceFailure>();

  constructor(private readonly options: HuggingFaceFakeOptions = {}) {
    super();
    if (options.delayMs) this.setDelay(options.delayMs);
  }

  /** The URL to use as `endpointUrl` for a serverless-shaped call to `modelId`. */
  modelUrl(modelId: string): string {
    return `${this.url}/models/${modelId}`;
  }

  /** The dedicated inference endpoint URL (for `client.endpoint(url)`). */
  get endpointUrl(): string {
    return `${this.url}${DEDICATED_PATH}`;
  }

  failNext(failure: HuggingFaceFailure): void {
    this.failures.push(failure);
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const headers = { 'x-request-id': randomBytes(8).toString('hex') };
    const modelMatch = /^\/models\/(.+)$/.exec(req.path);
    if (req.method !== 'POST' || (!modelMatch && req.path !== DEDICATED_PATH)) {
      return sendJson(res, 404, { error: 'Not Found' }, headers);
    }
    const token = bearerToken(req);
    if (!token || (this.options.token && token !== this.options.token)) {
      return sendJson(res, 401, { error: 'Invalid credentials in Authorization header' }, headers);
    }
    const body = (req.json ?? {}) as { inputs?: unknown; parameters?: Record<string, unknown> };
    const call: HuggingFaceCall = {
      modelId: modelMatch ? decodeURIComponent(modelMatch[1]) : undefined,
      route: modelMatch ? 'serverless' : 'endpoint',
      authorization: req.headers.authorization,
      inputs: body.inputs,
      parameters: body.parameters ?? {},
    };
    this.calls.push(call);

    const failure = this.failures.take(req);
    if (failure) return this.fail(res, failure, call, headers);
    if (typeof body.inputs !== 'string' || body.inputs.length === 0) {
      // The inference API answers a 400 with `{"error": …}` for a missing prompt.
      return sendJson(res, 400, { error: 'Input should be a valid string: inputs' }, headers);
    }
    const width = Number(call.parameters.width ?? 1024);
    const height = Number(call.parameters.height ?? 1024);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 64 || height < 64 || width > 2048) {
      return sendJson(res, 422, { error: 'width and height must be integers between 64 and 2048' }, headers);
    }

    await this.pause(req);
    if (res.destroyed) return;
    const format = this.options.format ?? 'jpeg';
    sendBytes(res, 200, await fakeImage(width, height, format), contentTypeOf[format], headers);
  }

  private fail(
    res: ServerResponse,
    failure: HuggingFaceFailure,
    call: HuggingFaceCall,
    headers: Record<string, string>,
  ): void {
    switch (failure.kind) {
      case 'loading':
        return sendJson(
          res,
          503,
          {
            error: `Model ${call.modelId ?? 'endpoint'} is currently loading`,
            estimated_time: failure.estimatedTime ?? 20.0,
          },
          headers,
        );
      case 'rate_limit':
        return sendJson(
          res,
          429,
          { error: 'Rate limit reached. You reached free usage limit (reset hourly).' },
          headers,
        );
      case 'unauthorized':
        return sendJson(res, 401, { error: 'Invalid credentials in Authorization header' }, headers);
      case 'bad_request':
        return sendJson(res, 400, { error: failure.message ?? 'Invalid parameters' }, headers);
    }
  }
}

export async function startHuggingFaceFake(options: HuggingFaceFakeOptions = {}): Promise<HuggingFaceFake> {
  return new HuggingFaceFake(options).listen();
}
