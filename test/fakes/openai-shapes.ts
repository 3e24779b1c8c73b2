import type { FakeImageFormat } from './fake-image';
import type { RecordedRequest } from './recorded-request';

/*
 * Request validation and response / error bodies of the OpenAI fake, per the Images API reference
 * and the error-codes guide (see openai.fake.ts for sources).
 */

export type OpenAIFailureKind =
  'rate_limit' | 'insufficient_quota' | 'server_error' | 'moderation_blocked' | 'invalid_api_key';

export interface OpenAIFailureOptions {
  /** Seconds put in `retry-after` for `rate_limit` (default 1). */
  retryAfterSeconds?: number;
  /** Only fail the call to this path (default: the next images call of any kind). */
  path?: string | RegExp;
  message?: string;
}

/** One images call as the fake understood it. */
export interface OpenAIImageCall {
  endpoint: 'generations' | 'edits';
  requestId: string;
  model: string;
  prompt: string;
  params: Record<string, unknown>;
  /** Multipart file parts of an edit (`image`, `image[]`, `mask`), without their bytes. */
  files: Array<{ field: string; filename: string; type: string; size: number }>;
  stream: boolean;
}

const SIZES: Record<string, string[]> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  gpt: ['1024x1024', '1536x1024', '1024x1536', 'auto'],
};
// Output tokens per image for gpt-image-1 at 1024x1024 (pricing guide); enough for usage-shaped data.
const OUTPUT_TOKENS: Record<string, number> = { low: 272, medium: 1056, high: 4160, auto: 4160 };

/** Status, body and extra headers OpenAI answers for a scripted failure. */
export function failureResponse(
  kind: OpenAIFailureKind,
  options: OpenAIFailureOptions,
): { status: number; body: object; headers: Record<string, string> } {
  switch (kind) {
    case 'rate_limit': {
      const seconds = options.retryAfterSeconds ?? 1;
      const message =
        options.message ?? 'Rate limit reached for gpt-image-1 on images per minute. Please try again.';
      return {
        status: 429,
        body: apiError(message, 'requests', 'rate_limit_exceeded'),
        headers: {
          'retry-after': String(seconds),
          'x-ratelimit-limit-requests': '5',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': `${seconds}s`,
        },
      };
    }
    case 'insufficient_quota': {
      const message =
        options.message ?? 'You exceeded your current quota, please check your plan and billing details.';
      return {
        status: 429,
        body: apiError(message, 'insufficient_quota', 'insufficient_quota'),
        headers: {},
      };
    }
    case 'server_error': {
      const message =
        options.message ?? 'The server had an error while processing your request. Sorry about that!';
      return { status: 500, body: apiError(message, 'server_error'), headers: {} };
    }
    case 'moderation_blocked': {
      const message =
        options.message ??
        'Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.';
      return {
        status: 400,
        body: apiError(message, 'image_generation_user_error', 'moderation_blocked'),
        headers: {},
      };
    }
    case 'invalid_api_key': {
      const message =
        options.message ?? 'Incorrect API key provided. You can find your API key in your dashboard.';
      return {
        status: 401,
        body: apiError(message, 'invalid_request_error', 'invalid_api_key'),
        headers: {},
      };
    }
  }
}

export function apiError(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
) {
  return { error: { message, type, param, code } };
}

export function describe(params: Record<string, unknown>) {
  const size = String(params.size ?? 'auto');
  const [width, height] = size === 'auto' ? [1024, 1024] : size.split('x').map(Number);
  const format = String(params.output_format ?? 'png') as FakeImageFormat;
  return {
    width,
    height,
    size: size === 'auto' ? '1024x1024' : size,
    format,
    quality: String(params.quality ?? 'auto') === 'auto' ? 'high' : String(params.quality),
    background: String(params.background ?? 'auto') === 'auto' ? 'opaque' : String(params.background),
  };
}

export function usage(prompt: string, quality: string, n: number) {
  const text = Math.max(1, prompt.split(/\s+/).filter(Boolean).length);
  const output = (OUTPUT_TOKENS[quality] ?? OUTPUT_TOKENS.auto) * n;
  return {
    input_tokens: text,
    output_tokens: output,
    total_tokens: text + output,
    input_tokens_details: { text_tokens: text, image_tokens: 0 },
  };
}

/** The 400 invalid_request_error OpenAI answers for a bad request, or undefined when it is fine. */
export function validate(
  endpoint: 'generations' | 'edits',
  params: Record<string, unknown>,
  files: OpenAIImageCall['files'],
  req: RecordedRequest,
): object | undefined {
  const invalid = (message: string, param: string | null, code = 'invalid_value') =>
    apiError(message, 'invalid_request_error', code, param);
  if (endpoint === 'generations' && req.json === undefined) {
    return invalid('We could not parse the JSON body of your request.', null, 'invalid_json');
  }
  if (endpoint === 'edits' && !req.multipart) {
    return invalid('Expected a multipart/form-data body.', null, 'invalid_request');
  }
  if (typeof params.prompt !== 'string' || params.prompt.length === 0) {
    return invalid("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  }
  if (endpoint === 'edits' && !files.some((file) => file.field === 'image' || file.field === 'image[]')) {
    return invalid("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
  }
  const model = String(params.model ?? 'dall-e-2');
  const allowed = SIZES[model] ?? SIZES.gpt;
  if (params.size !== undefined && !allowed.includes(String(params.size))) {
    return invalid(
      `Invalid value: '${String(params.size)}'. Supported values are: ${allowed.join(', ')}.`,
      'size',
    );
  }
  const n = Number(params.n ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 10) return invalid('n must be between 1 and 10.', 'n');
  const partials = Number(params.partial_images ?? 0);
  if (!Number.isInteger(partials) || partials < 0 || partials > 3) {
    return invalid('partial_images must be between 0 and 3.', 'partial_images');
  }
  if (params.output_format !== undefined && !['png', 'jpeg', 'webp'].includes(String(params.output_format))) {
    return invalid(`Invalid value: '${String(params.output_format)}'.`, 'output_format');
  }
  return undefined;
}
