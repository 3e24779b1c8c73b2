import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import {
  classifyHttpFailure,
  type ErrorDialect,
  ExternalServiceError,
  type HttpFailure,
} from '@atelier/core';
import { fromOpenAIError } from './openai/openai-errors';
import type { ProviderDescriptor } from './image-provider';
import { PROVIDER_DESCRIPTORS } from './provider-descriptors';

const NOW = Date.parse('2025-06-01T12:00:00Z');

/** Each provider's error dialect, as its descriptor declares it. */
function dialectOf(service: string): ErrorDialect | undefined {
  const descriptors: readonly ProviderDescriptor[] = PROVIDER_DESCRIPTORS;
  return descriptors.find((descriptor) => descriptor.name === service)?.errorDialect;
}

describe('provider error dialects', () => {
  const openaiError = (
    code: string | null,
    message = 'provider says no',
    type = 'invalid_request_error',
  ) => ({
    error: { message, type, param: null, code },
  });

  it.each<[string, Omit<HttpFailure, 'now'>, Partial<ExternalServiceError>]>([
    [
      'OpenAI 429 insufficient_quota is billing, not a rate limit',
      {
        service: 'openai',
        status: 429,
        headers: { 'retry-after': '1' },
        body: openaiError('insufficient_quota', 'You exceeded your current quota', 'insufficient_quota'),
      },
      { kind: 'rejected', code: 'provider_quota', retryAfterMs: undefined },
    ],
    [
      'OpenAI moderation_blocked',
      {
        service: 'openai',
        status: 400,
        body: openaiError('moderation_blocked', 'Your request was rejected by the safety system.'),
      },
      {
        kind: 'rejected',
        code: 'content_policy',
        message: 'openai: Your request was rejected by the safety system.',
      },
    ],
    [
      'OpenAI content_policy_violation (older models), body as raw JSON text',
      { service: 'openai', status: 400, body: JSON.stringify(openaiError('content_policy_violation')) },
      { kind: 'rejected', code: 'content_policy' },
    ],
    [
      'OpenAI body as bytes',
      {
        service: 'openai',
        status: 400,
        body: Buffer.from(JSON.stringify(openaiError('moderation_blocked'))),
      },
      { code: 'content_policy' },
    ],
    [
      'HF 503 model loading',
      {
        service: 'huggingface',
        status: 503,
        body: { error: 'Model black-forest-labs/FLUX.1-dev is currently loading', estimated_time: 20.5 },
      },
      {
        kind: 'retryable',
        retryAfterMs: 20_500,
        message: 'huggingface: Model black-forest-labs/FLUX.1-dev is currently loading',
      },
    ],
    [
      'HF 503 with retry-after: the header wins over estimated_time',
      {
        service: 'huggingface',
        status: 503,
        headers: { 'retry-after': '2' },
        body: { error: 'loading', estimated_time: 20.5 },
      },
      { kind: 'retryable', retryAfterMs: 2000 },
    ],
    [
      'a content-policy code from another provider is not read as OpenAI’s',
      { service: 'comfyui', status: 400, body: openaiError('moderation_blocked') },
      { kind: 'rejected', code: 'provider_rejected' },
    ],
  ])('%s', (_, failure, expected) => {
    const error = classifyHttpFailure({ ...failure, now: NOW }, dialectOf(failure.service));
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject(expected);
    if ('retryAfterMs' in expected) expect(error.retryAfterMs).toBe(expected.retryAfterMs);
  });
});

function fetchFailed(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

describe('fromOpenAIError', () => {
  const headers = (extra: Record<string, string> = {}) =>
    new Headers({ 'x-request-id': 'req_abc', ...extra });
  const body = (code: string | null, type = 'invalid_request_error') => ({
    error: { message: `m:${code}`, type, param: null, code },
  });

  it.each<[string, unknown, Partial<ExternalServiceError>]>([
    [
      'BadRequestError moderation_blocked',
      APIError.generate(400, body('moderation_blocked', 'image_generation_user_error'), undefined, headers()),
      {
        kind: 'rejected',
        code: 'content_policy',
        status: 400,
        providerRequestId: 'req_abc',
        message: 'openai: m:moderation_blocked',
      },
    ],
    [
      'BadRequestError validation',
      new BadRequestError(400, body('invalid_value').error, undefined, headers()),
      { kind: 'rejected', code: 'provider_rejected' },
    ],
    [
      'AuthenticationError from APIError.generate',
      APIError.generate(401, body('invalid_api_key'), undefined, headers()),
      { kind: 'auth', code: 'provider_auth', status: 401 },
    ],
    [
      'AuthenticationError constructed directly',
      new AuthenticationError(401, body('invalid_api_key').error, undefined, headers()),
      { kind: 'auth', code: 'provider_auth', providerRequestId: 'req_abc' },
    ],
    [
      'RateLimitError rate_limit_exceeded',
      new RateLimitError(
        429,
        body('rate_limit_exceeded', 'requests').error,
        undefined,
        headers({ 'retry-after': '3' }),
      ),
      { kind: 'retryable', code: 'provider_unavailable', retryAfterMs: 3000, providerRequestId: 'req_abc' },
    ],
    [
      'RateLimitError insufficient_quota',
      APIError.generate(429, body('insufficient_quota', 'insufficient_quota'), undefined, headers()),
      { kind: 'rejected', code: 'provider_quota' },
    ],
    [
      'InternalServerError',
      new InternalServerError(502, undefined, 'bad gateway', headers()),
      { kind: 'retryable', status: 502 },
    ],
    [
      'status-less APIError from a stream error event',
      new APIError(undefined, { message: 'blocked', code: 'moderation_blocked' }, undefined, undefined),
      { kind: 'rejected', code: 'content_policy', status: undefined },
    ],
    [
      'stream server error',
      new APIError(undefined, { message: 'oops', type: 'server_error' }, undefined, undefined),
      { kind: 'retryable' },
    ],
    [
      'APIConnectionTimeoutError',
      new APIConnectionTimeoutError(),
      { kind: 'retryable', details: { timedOut: true } },
    ],
    [
      'APIConnectionError with a socket cause',
      new APIConnectionError({ cause: fetchFailed('ECONNRESET') }),
      { kind: 'retryable', details: { networkCode: 'ECONNRESET', timedOut: false } },
    ],
  ])('%s', (_, err, expected) => {
    const error = fromOpenAIError(err);
    expect(error).toMatchObject({ service: 'openai', ...expected });
    expect(error.cause).toBe(err);
  });

  it('honours requestSent for lost connections', () => {
    const err = new APIConnectionError({ cause: fetchFailed('ECONNRESET') });
    expect(fromOpenAIError(err, { requestSent: true })).toMatchObject({ kind: 'unknown_outcome' });
  });

  it('rethrows a user abort unchanged', () => {
    const abort = new APIUserAbortError();
    expect(() => fromOpenAIError(abort)).toThrow(abort);
  });
});
