import { APIUserAbortError } from 'openai';
import { classifyHttpFailure, ExternalServiceError, HttpFailure, parseDuration } from './external-error';
import { classifyNetworkFailure, isAbortError } from './network-failure';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('classifyHttpFailure', () => {
  const openaiError = (
    code: string | null,
    message = 'provider says no',
    type = 'invalid_request_error',
  ) => ({
    error: { message, type, param: null, code },
  });

  it.each<[string, Omit<HttpFailure, 'now'>, Partial<ExternalServiceError>]>([
    ['408 timeout', { service: 's', status: 408 }, { kind: 'retryable', code: 'provider_unavailable' }],
    ['409 conflict', { service: 's', status: 409 }, { kind: 'retryable', code: 'provider_unavailable' }],
    ['500', { service: 's', status: 500 }, { kind: 'retryable', code: 'provider_unavailable' }],
    [
      '502 with an HTML body',
      { service: 's', status: 502, body: '<html>bad gateway</html>' },
      { kind: 'retryable' },
    ],
    [
      '503 retry-after seconds',
      { service: 's', status: 503, headers: { 'Retry-After': '7' } },
      { kind: 'retryable', retryAfterMs: 7000 },
    ],
    [
      '429 retry-after HTTP date',
      { service: 's', status: 429, headers: { 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' } },
      { kind: 'retryable', retryAfterMs: 30_000 },
    ],
    [
      '429 retry-after date in the past',
      { service: 's', status: 429, headers: { 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' } },
      { retryAfterMs: 0 },
    ],
    [
      'X 429 x-rate-limit-reset epoch seconds',
      { service: 'x', status: 429, headers: { 'x-rate-limit-reset': String(NOW / 1000 + 900) } },
      { kind: 'retryable', retryAfterMs: 900_000 },
    ],
    [
      'OpenAI 429 rate_limit_exceeded with reset durations (the later wins)',
      {
        service: 'openai',
        status: 429,
        headers: new Headers({
          'x-ratelimit-reset-requests': '250ms',
          'x-ratelimit-reset-tokens': '6m0s',
          'x-request-id': 'req_1',
        }),
        body: openaiError('rate_limit_exceeded', 'Rate limit reached', 'requests'),
      },
      { kind: 'retryable', code: 'provider_unavailable', retryAfterMs: 360_000, providerRequestId: 'req_1' },
    ],
    [
      'OpenAI retry-after-ms beats retry-after',
      { service: 'openai', status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } },
      { retryAfterMs: 1500 },
    ],
    [
      'rate-limit reset headers on a 500 are ignored (they come with every response)',
      {
        service: 'openai',
        status: 500,
        headers: { 'x-ratelimit-reset-requests': '1s', 'x-rate-limit-reset': '1' },
      },
      { kind: 'retryable', retryAfterMs: undefined },
    ],
    [
      'body as bytes',
      {
        service: 'openai',
        status: 400,
        body: Buffer.from(JSON.stringify(openaiError('invalid_value', 'Bad size'))),
      },
      { kind: 'rejected', code: 'provider_rejected', message: 'openai: Bad size' },
    ],
    [
      '400 validation',
      { service: 'openai', status: 400, body: openaiError('invalid_value', 'Invalid size') },
      { kind: 'rejected', code: 'provider_rejected', status: 400 },
    ],
    [
      '422',
      { service: 'huggingface', status: 422, body: { error: 'bad parameters' } },
      { kind: 'rejected', message: 'huggingface: bad parameters' },
    ],
    [
      '404',
      { service: 's', status: 404 },
      { kind: 'rejected', code: 'provider_rejected', message: 's: answered HTTP 404' },
    ],
    [
      '401 invalid_api_key',
      { service: 'openai', status: 401, body: openaiError('invalid_api_key') },
      { kind: 'auth', code: 'provider_auth' },
    ],
    [
      '403 is a refusal, not a token problem, unless the service says otherwise',
      { service: 's', status: 403, body: { title: 'Forbidden', detail: 'not permitted' } },
      { kind: 'rejected', code: 'permission_denied' },
    ],
    [
      'HF 429',
      { service: 'huggingface', status: 429, body: { error: 'Rate limit reached' } },
      { kind: 'retryable' },
    ],
    [
      'error codes without a dialect are not read (Graph 190 belongs to the Graph dialect)',
      {
        service: 'instagram',
        status: 400,
        body: { error: { message: 'Error validating access token', code: 190, fbtrace_id: 'AbC' } },
      },
      { kind: 'rejected', providerRequestId: 'AbC', details: { providerCode: 190 } },
    ],
  ])('%s', (_, failure, expected) => {
    const error = classifyHttpFailure({ ...failure, now: NOW });
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject(expected);
    if ('retryAfterMs' in expected) expect(error.retryAfterMs).toBe(expected.retryAfterMs);
  });

  it("takes a dialect's verdict before the status rules, keeping the common facts", () => {
    const failure = { service: 's', status: 429, headers: { 'retry-after': '3', 'x-request-id': 'r1' } };
    const dialect = () => ({ kind: 'rejected' as const, code: 'duplicate_content' as const });
    expect(classifyHttpFailure(failure, dialect)).toMatchObject({
      kind: 'rejected',
      code: 'duplicate_content',
      retryAfterMs: undefined,
      providerRequestId: 'r1',
    });
    const retry = classifyHttpFailure(failure, () => ({ kind: 'retryable', code: 'rate_limited' }));
    expect(retry).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
    expect(classifyHttpFailure(failure, () => undefined)).toMatchObject({ code: 'provider_unavailable' });
  });

  it('keeps long provider messages short', () => {
    const error = classifyHttpFailure({ service: 's', status: 400, body: { message: 'x'.repeat(2000) } });
    expect(error.message.length).toBeLessThan(520);
  });
});

describe('parseDuration', () => {
  it.each([
    ['1s', 1000],
    ['250ms', 250],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['20ms', 20],
    ['', undefined],
    ['soon', undefined],
    ['5', undefined],
  ])('%p → %p', (value, expected) => expect(parseDuration(value)).toBe(expected));
});

function fetchFailed(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
}

describe('classifyNetworkFailure', () => {
  it.each<[string, unknown, boolean, Partial<ExternalServiceError>]>([
    [
      'ECONNRESET before sending',
      fetchFailed('ECONNRESET'),
      false,
      { kind: 'retryable', code: 'provider_unavailable' },
    ],
    [
      'ECONNRESET after sending',
      fetchFailed('ECONNRESET'),
      true,
      { kind: 'unknown_outcome', code: 'outcome_unknown' },
    ],
    [
      'ECONNREFUSED never reached the server, even if the caller thinks it was sent',
      fetchFailed('ECONNREFUSED'),
      true,
      { kind: 'retryable' },
    ],
    ['ETIMEDOUT after sending', fetchFailed('ETIMEDOUT'), true, { kind: 'unknown_outcome' }],
    [
      'UND_ERR_HEADERS_TIMEOUT',
      fetchFailed('UND_ERR_HEADERS_TIMEOUT'),
      false,
      { kind: 'retryable', details: { networkCode: 'UND_ERR_HEADERS_TIMEOUT', timedOut: true } },
    ],
    ['UND_ERR_SOCKET after sending', fetchFailed('UND_ERR_SOCKET'), true, { kind: 'unknown_outcome' }],
    ['UND_ERR_CONNECT_TIMEOUT', fetchFailed('UND_ERR_CONNECT_TIMEOUT'), true, { kind: 'retryable' }],
    [
      'happy-eyeballs AggregateError of refusals',
      new TypeError('fetch failed', {
        cause: new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
      }),
      true,
      { kind: 'retryable' },
    ],
    [
      'AbortSignal.timeout()',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      false,
      { kind: 'retryable', details: { timedOut: true } },
    ],
  ])('%s', (_, err, requestSent, expected) => {
    const error = classifyNetworkFailure(err, { requestSent, service: 'mastodon' });
    expect(error).toMatchObject(expected);
    expect(error.cause).toBe(err);
    expect(error.message).toMatch(/^mastodon: /);
  });

  it('treats an AbortError as a timeout when the caller’s own signal is not aborted', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const signal = new AbortController().signal;
    expect(classifyNetworkFailure(abort, { requestSent: true, signal })).toMatchObject({
      kind: 'unknown_outcome',
    });
    expect(classifyNetworkFailure(abort, { requestSent: false, signal })).toMatchObject({
      kind: 'retryable',
    });
  });

  it('rethrows a cancel by the caller unchanged', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(() => classifyNetworkFailure(abort, { requestSent: true })).toThrow(abort);
    expect(() =>
      classifyNetworkFailure(new Error('any'), { requestSent: true, signal: controller.signal }),
    ).toThrow('any');
  });

  it('returns an already classified error as is', () => {
    const classified = classifyHttpFailure({ service: 's', status: 401 });
    expect(classifyNetworkFailure(classified, { requestSent: true })).toBe(classified);
  });
});

describe('isAbortError', () => {
  const abortError = new DOMException('aborted', 'AbortError');
  const aborted = AbortSignal.abort();
  const live = new AbortController().signal;
  it.each<[string, unknown, AbortSignal | undefined, boolean]>([
    ['an AbortError without a signal is a cancel', abortError, undefined, true],
    ['an AbortError with a live signal is a timeout', abortError, live, false],
    ['anything once the signal is aborted is a cancel', new Error('x'), aborted, true],
    ['the OpenAI SDK user abort is a cancel', new APIUserAbortError(), undefined, true],
    ['a TimeoutError is not', new DOMException('t', 'TimeoutError'), undefined, false],
    ['a network error is not', fetchFailed('ECONNRESET'), undefined, false],
    ['a string is not', 'AbortError', undefined, false],
  ])('%s', (_, err, signal, expected) => expect(isAbortError(err, signal)).toBe(expected));
});
