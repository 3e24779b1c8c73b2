import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeHttpServer, pathMatcher, Script } from './fake-http-server';
import { contentTypeOf, fakeImage } from './fake-image';
import {
  apiError,
  describe,
  failureResponse,
  usage,
  validate,
  type OpenAIFailureKind,
  type OpenAIFailureOptions,
  type OpenAIImageCall,
} from './openai-shapes';
import { bearerToken, sendBytes, sendJson, type RecordedRequest } from './recorded-request';

/*
 * OpenAI Images API fake. Sources: providers.md § OpenAI Images; platform.openai.com/docs/api-reference/images
 * (request fields, `{created, data:[{b64_json}], usage, size, quality, background, output_format}`);
 * the image-generation streaming guide (SSE events `image_generation.partial_image` / `.completed`,
 * `image_edit.*` for edits); the error-codes guide (error body `{error:{message,type,param,code}}`,
 * 429 rate_limit_exceeded vs insufficient_quota). SDK behaviour checked in node_modules/openai v6:
 * it reads `x-request-id` into `err.requestID` / `_request_id`, parses SSE `data:` lines as JSON
 * and builds multipart arrays as `image[]`.
 */

export type { OpenAIFailureKind, OpenAIFailureOptions, OpenAIImageCall } from './openai-shapes';

export interface OpenAIFakeOptions {
  /** When set, any other bearer key gets 401 invalid_api_key. */
  apiKey?: string;
  /** Delay before every images answer (for cancel / timeout tests). */
  delayMs?: number;
}

export class OpenAIFake extends FakeHttpServer {
  readonly calls: OpenAIImageCall[] = [];
  private readonly failures = new Script<{ kind: OpenAIFailureKind; options: OpenAIFailureOptions }>();
  private readonly files = new Map<string, { bytes: Buffer; type: string }>();
  private streamStall?: { afterPartials: number; gate: Promise<void>; open: () => void };

  constructor(private readonly options: OpenAIFakeOptions = {}) {
    super();
    if (options.delayMs) this.setDelay(options.delayMs);
  }

  /** The next images call (or the next to `options.path`) fails the way OpenAI fails. */
  failNext(kind: OpenAIFailureKind, options: OpenAIFailureOptions = {}): void {
    this.failures.push({ kind, options }, pathMatcher(options.path));
  }

  /**
   * Streams stop after `afterPartials` partial images and wait for the returned release function,
   * so a test can cancel while a stream is open. Emits 'stream-stalled' (the call) when parked.
   */
  stallStreamAfter(afterPartials: number): () => void {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stall = { afterPartials, gate, open };
    this.streamStall = stall;
    return () => {
      if (this.streamStall === stall) this.streamStall = undefined;
      open();
    };
  }

  override async close(): Promise<void> {
    this.streamStall?.open();
    await super.close();
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const requestId = `req_${randomBytes(16).toString('hex')}`;
    const headers = { 'x-request-id': requestId, 'openai-version': '2020-10-01' };
    if (req.method === 'GET' && req.path.startsWith('/v1/fake-files/')) {
      const file = this.files.get(req.path.slice('/v1/fake-files/'.length));
      if (!file) return sendJson(res, 404, apiError('File not found', 'invalid_request_error'), headers);
      return sendBytes(res, 200, file.bytes, file.type, headers);
    }
    const endpoint =
      req.method === 'POST' && req.path === '/v1/images/generations'
        ? 'generations'
        : req.method === 'POST' && req.path === '/v1/images/edits'
          ? 'edits'
          : undefined;
    if (!endpoint) {
      const message = `Invalid URL (${req.method} ${req.path})`;
      return sendJson(res, 404, apiError(message, 'invalid_request_error'), headers);
    }

    const key = bearerToken(req);
    if (!key) {
      const message =
        "You didn't provide an API key. You need to provide your API key in an Authorization header.";
      return sendJson(res, 401, apiError(message, 'invalid_request_error'), headers);
    }
    if (this.options.apiKey && key !== this.options.apiKey) {
      return this.fail(res, 'invalid_api_key', {}, headers);
    }

    const params: Record<string, unknown> =
      endpoint === 'edits' ? { ...(req.multipart?.fields ?? {}) } : { ...((req.json as object) ?? {}) };
    const files = (req.multipart?.files ?? []).map(({ field, filename, type, size }) => ({
      field,
      filename,
      type,
      size,
    }));
    const model = String(params.model ?? 'dall-e-2'); // the API's documented default model
    const stream = params.stream === true || params.stream === 'true';
    this.calls.push({
      endpoint,
      requestId,
      model,
      prompt: String(params.prompt ?? ''),
      params,
      files,
      stream,
    });

    const scripted = this.failures.take(req);
    if (scripted) return this.fail(res, scripted.kind, scripted.options, headers);

    const invalid = validate(endpoint, params, files, req);
    if (invalid) return sendJson(res, 400, invalid, headers);

    await this.pause(req);
    if (res.destroyed) return;
    if (stream) return this.stream(res, endpoint, params, headers);
    return this.answer(res, model, params, headers);
  }

  private async answer(
    res: ServerResponse,
    model: string,
    params: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<void> {
    const { width, height, size, format, quality, background } = describe(params);
    const n = Number(params.n ?? 1);
    const bytes = await fakeImage(width, height, format);
    // dall-e models answer hosted URLs unless asked for b64_json; gpt-image always answers b64_json.
    const asUrl = model.startsWith('dall-e') && params.response_format !== 'b64_json';
    const data = Array.from({ length: n }, () => {
      if (!asUrl) return { b64_json: bytes.toString('base64') };
      const id = randomBytes(8).toString('hex');
      this.files.set(id, { bytes, type: contentTypeOf[format] });
      return { url: `${this.url}/v1/fake-files/${id}`, revised_prompt: String(params.prompt) };
    });
    const body = {
      created: Math.floor(Date.now() / 1000),
      data,
      ...(model.startsWith('gpt-image')
        ? {
            usage: usage(String(params.prompt), quality, n),
            size,
            quality,
            background,
            output_format: format,
          }
        : {}),
    };
    sendJson(res, 200, body, headers);
  }

  private async stream(
    res: ServerResponse,
    endpoint: 'generations' | 'edits',
    params: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<void> {
    const prefix = endpoint === 'generations' ? 'image_generation' : 'image_edit';
    const { width, height, size, format, quality, background } = describe(params);
    const partials = Number(params.partial_images ?? 0);
    const created_at = Math.floor(Date.now() / 1000);
    const common = { size, quality, background, output_format: format, created_at };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    const send = (type: string, data: object): void => {
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    };
    for (let index = 0; index < partials; index++) {
      // Partials are previews: a different colour so a test can tell them from the final image.
      const preview = await fakeImage(width, height, format, { r: 40 * (index + 1), g: 40, b: 200 });
      send(`${prefix}.partial_image`, {
        b64_json: preview.toString('base64'),
        partial_image_index: index,
        ...common,
      });
      const stall = this.streamStall;
      if (stall && index + 1 === stall.afterPartials) {
        this.emit('stream-stalled', this.calls[this.calls.length - 1]);
        await stall.gate;
        if (res.destroyed) return;
      }
    }
    const bytes = await fakeImage(width, height, format);
    send(`${prefix}.completed`, {
      b64_json: bytes.toString('base64'),
      ...common,
      usage: usage(String(params.prompt), quality, 1),
    });
    res.end();
  }

  private fail(
    res: ServerResponse,
    kind: OpenAIFailureKind,
    options: OpenAIFailureOptions,
    headers: Record<string, string>,
  ): void {
    const failure = failureResponse(kind, options);
    sendJson(res, failure.status, failure.body, { ...headers, ...failure.headers });
  }
}

export async function startOpenAIFake(options: OpenAIFakeOptions = {}): Promise<OpenAIFake> {
  return new OpenAIFake(options).listen();
}
