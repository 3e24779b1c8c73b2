import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/**
 * One classification for every failure of an external service (generation providers, publishers),
 * so jobs decide retry / fail / reconcile in one place (see providers.md "Error classification"):
 * - `retryable`: try again later (Bull backoff), honouring `retryAfterMs` when the service said so;
 * - `auth`: credentials are wrong or expired — fail now, mark the credential;
 * - `rejected`: the service refused this request (policy, validation, billing) — fail now, refund;
 * - `unknown_outcome`: the request went out and the answer was lost — never retry blindly.
 */
export type ExternalErrorClass = 'retryable' | 'auth' | 'rejected' | 'unknown_outcome';

export const ExternalErrorCode = {
  ContentPolicy: 'content_policy',
  ProviderRejected: 'provider_rejected',
  ProviderAuth: 'provider_auth',
  ProviderUnavailable: 'provider_unavailable',
  ProviderQuota: 'provider_quota',
  TokenExpired: 'token_expired',
  OutcomeUnknown: 'outcome_unknown',
} as const;
export type ExternalErrorCode = (typeof ExternalErrorCode)[keyof typeof ExternalErrorCode];

export interface ExternalServiceErrorInit {
  kind: ExternalErrorClass;
  code: ExternalErrorCode;
  /** Which service failed (`openai`, `huggingface`, `instagram`…), for messages and logs. */
  service: string;
  message: string;
  status?: number;
  retryAfterMs?: number;
  providerRequestId?: string;
  /** Provider-specific facts worth logging: provider error code/type, network error code. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ExternalServiceError extends Error {
  readonly kind: ExternalErrorClass;
  readonly code: ExternalErrorCode;
  readonly service: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly providerRequestId?: string;
  readonly details?: Record<string, unknown>;

  constructor(init: ExternalServiceErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ExternalServiceError';
    this.kind = init.kind;
    this.code = init.code;
    this.service = init.service;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.providerRequestId = init.providerRequestId;
    this.details = init.details;
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

/** A fetch `Headers`, or a plain header object such as node's `IncomingHttpHeaders`. */
export type HeaderSource =
  { get(name: string): string | null } | Record<string, string | string[] | number | undefined>;

export interface HttpFailure {
  status: number;
  headers?: HeaderSource;
  /** Parsed JSON, raw text or bytes of the response body. */
  body?: unknown;
  service: string;
  /** Epoch ms used to turn `retry-after` dates and reset timestamps into delays (tests pin it). */
  now?: number;
}

const CONTENT_POLICY_CODES = new Set(['moderation_blocked', 'content_policy_violation']);
// Graph API: 1 unknown, 2 service unavailable, 4/17/32/613 rate limits, 341 application limit.
const GRAPH_RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);
const GRAPH_TOKEN_EXPIRED = 190;
const REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-fb-trace-id',
  'x-transaction-id',
];
const MAX_MESSAGE_LENGTH = 500;

export function classifyHttpFailure(failure: HttpFailure): ExternalServiceError {
  const { status, service } = failure;
  const header = headerReader(failure.headers);
  const body = parseBody(failure.body);
  const error = asRecord(body?.error);
  const providerCode = error?.code ?? undefined;
  const providerType = typeof error?.type === 'string' ? error.type : undefined;
  const text = providerMessage(body, failure.body) ?? `answered HTTP ${status}`;
  const common = {
    service,
    status,
    message: `${service}: ${truncate(text)}`,
    providerRequestId:
      REQUEST_ID_HEADERS.map(header).find((v) => v !== undefined) ??
      (typeof error?.fbtrace_id === 'string' ? error.fbtrace_id : undefined),
    details: definedOnly({ providerCode, providerType, providerSubcode: error?.error_subcode }),
  };
  const retryable = (retryAfterMs = retryDelay(header, status, failure.now ?? Date.now())) =>
    new ExternalServiceError({
      ...common,
      kind: 'retryable',
      code: ExternalErrorCode.ProviderUnavailable,
      retryAfterMs,
    });

  if (typeof providerCode === 'string' && CONTENT_POLICY_CODES.has(providerCode)) {
    return new ExternalServiceError({ ...common, kind: 'rejected', code: ExternalErrorCode.ContentPolicy });
  }
  // OpenAI answers 429 both for rate limits (retry) and for an exhausted balance (billing: retrying cannot help).
  if (providerCode === 'insufficient_quota' || providerType === 'insufficient_quota') {
    return new ExternalServiceError({ ...common, kind: 'rejected', code: ExternalErrorCode.ProviderQuota });
  }
  if (typeof providerCode === 'number') {
    if (providerCode === GRAPH_TOKEN_EXPIRED) {
      return new ExternalServiceError({ ...common, kind: 'auth', code: ExternalErrorCode.TokenExpired });
    }
    if (GRAPH_RETRYABLE_CODES.has(providerCode)) return retryable();
  }
  // Hugging Face's cold start: 503 with the seconds it expects the model to need to load.
  if (status === 503 && typeof body?.estimated_time === 'number' && header('retry-after') === undefined) {
    return retryable(Math.max(0, Math.ceil(body.estimated_time * 1000)));
  }
  if (status === 408 || status === 409 || status === 429 || status >= 500) return retryable();
  if (status === 401 || status === 403) {
    return new ExternalServiceError({ ...common, kind: 'auth', code: ExternalErrorCode.ProviderAuth });
  }
  return new ExternalServiceError({ ...common, kind: 'rejected', code: ExternalErrorCode.ProviderRejected });
}

/**
 * Delay the service asked for, in ms: `retry-after-ms` (OpenAI), `retry-after` (seconds or an
 * HTTP date); on 429 also the rate-limit reset headers, which services send on every response
 * and which therefore mean nothing for a 5xx: `x-rate-limit-reset` (X, epoch seconds) and
 * `x-ratelimit-reset-requests` / `-tokens` (OpenAI, durations like `6m0s`; the later one wins
 * because either limit may be the one that was hit).
 */
function retryDelay(
  header: (name: string) => string | undefined,
  status: number,
  now: number,
): number | undefined {
  const retryAfterMs = header('retry-after-ms');
  if (retryAfterMs !== undefined && /^\d+(\.\d+)?$/.test(retryAfterMs))
    return Math.round(Number(retryAfterMs));
  const retryAfter = header('retry-after');
  if (retryAfter !== undefined) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (status !== 429) return undefined;
  const resetEpoch = header('x-rate-limit-reset');
  if (resetEpoch !== undefined && /^\d+$/.test(resetEpoch)) {
    return Math.max(0, Number(resetEpoch) * 1000 - now);
  }
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => parseDuration(header(name)))
    .filter((ms): ms is number => ms !== undefined);
  return resets.length ? Math.max(...resets) : undefined;
}

const DURATION_UNITS_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/** Go-style durations as OpenAI sends them: `1s`, `250ms`, `6m0s`, `1h2m3.5s`. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined || !/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(value.trim())) return undefined;
  let total = 0;
  for (const [, amount, , unit] of value.trim().matchAll(/(\d+(\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(amount) * DURATION_UNITS_MS[unit];
  }
  return Math.round(total);
}

export interface NetworkFailureContext {
  /**
   * Whether the request may have reached the service. A publisher sets it once the request is on
   * its way, so a lost answer becomes `unknown_outcome` instead of a duplicate post.
   */
  requestSent: boolean;
  service?: string;
  /** The caller's own signal: an abort while it is not aborted is a client-side timeout. */
  signal?: AbortSignal;
}

// Failures while connecting: the request certainly never reached the service, whatever the caller thinks.
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Classifies a transport failure (no HTTP answer). A cancel by the caller is not a failure: it is
 * rethrown unchanged, so `throw classifyNetworkFailure(err, …)` in a catch block lets it through.
 */
export function classifyNetworkFailure(err: unknown, context: NetworkFailureContext): ExternalServiceError {
  if (err instanceof ExternalServiceError) return err;
  if (isAbortError(err, context.signal)) throw err;
  const service = context.service ?? 'external service';
  const chain = errorChain(err);
  const networkCode = chain.map((e) => e.code).find((code): code is string => typeof code === 'string');
  const timedOut =
    err instanceof APIConnectionTimeoutError ||
    chain.some(
      (e) => e.name === 'TimeoutError' || e.name === 'AbortError' || TIMEOUT_CODES.has(String(e.code)),
    );
  const neverSent = chain.some((e) => CONNECT_CODES.has(String(e.code)));
  const outcomeUnknown = context.requestSent && !neverSent;
  const reason = timedOut ? 'timed out' : neverSent ? 'could not be reached' : 'connection failed';
  return new ExternalServiceError({
    kind: outcomeUnknown ? 'unknown_outcome' : 'retryable',
    code: outcomeUnknown ? ExternalErrorCode.OutcomeUnknown : ExternalErrorCode.ProviderUnavailable,
    service,
    message: `${service}: ${reason}${networkCode ? ` (${networkCode})` : ''}${outcomeUnknown ? ' after the request was sent' : ''}`,
    details: definedOnly({ networkCode, timedOut }),
    cause: err,
  });
}

/**
 * True when the caller cancelled: its signal is aborted, the OpenAI SDK reports a user abort, or an
 * `AbortError` arrives and no signal was given to tell it from a timeout. Timeouts made with
 * `AbortSignal.timeout()` are `TimeoutError`s and are never cancels.
 */
export function isAbortError(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted || err instanceof APIUserAbortError) return true;
  return signal === undefined && asRecord(err)?.name === 'AbortError';
}

/**
 * Maps the `openai` SDK's errors with the same rules: `APIError` subclasses carry `status`,
 * `error` (the body's `error` member), `headers` and `requestID`; connection errors carry no
 * status. Generation requests are safe to repeat, so a lost connection is `retryable` unless the
 * caller says otherwise. A user abort is rethrown unchanged, as in classifyNetworkFailure.
 */
export function fromOpenAIError(
  err: unknown,
  context: Omit<NetworkFailureContext, 'service'> = { requestSent: false },
): ExternalServiceError {
  if (err instanceof ExternalServiceError) return err;
  if (isAbortError(err, context.signal)) throw err;
  const service = 'openai';
  if (err instanceof APIConnectionError || !(err instanceof APIError)) {
    return classifyNetworkFailure(err, { ...context, service });
  }
  const classified = classifyHttpFailure({
    // A status-less APIError is an `error` event inside a stream: judge it by its body, as a server error.
    status: err.status ?? 500,
    headers: err.headers,
    body: { error: err.error },
    service,
  });
  return new ExternalServiceError({
    kind: classified.kind,
    code: classified.code,
    service,
    message: classified.message,
    status: err.status,
    retryAfterMs: classified.retryAfterMs,
    providerRequestId: err.requestID ?? classified.providerRequestId,
    details: classified.details,
    cause: err,
  });
}

function headerReader(headers: HeaderSource | undefined): (name: string) => string | undefined {
  if (!headers) return () => undefined;
  if (typeof headers.get === 'function') {
    const source = headers as { get(name: string): string | null };
    return (name) => source.get(name) ?? undefined;
  }
  const lowerCased = new Map(
    Object.entries(headers as Record<string, unknown>).map(([key, value]) => [key.toLowerCase(), value]),
  );
  return (name) => {
    const value = lowerCased.get(name);
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? String(value[0]) : String(value);
  };
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  const text = body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : body;
  if (typeof text !== 'string') return asRecord(text);
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function providerMessage(body: Record<string, unknown> | undefined, raw: unknown): string | undefined {
  const error = asRecord(body?.error);
  const candidates = [error?.message, body?.error, body?.message, body?.detail, body?.title];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  if (found !== undefined) return found;
  if (typeof raw === 'string' && raw.trim() !== '' && !body) return raw.trim();
  return undefined;
}

function errorChain(err: unknown): { name?: unknown; code?: unknown }[] {
  const chain: { name?: unknown; code?: unknown }[] = [];
  const pending: unknown[] = [err];
  // Bounded walk over `cause` and AggregateError members (undici nests the socket error there).
  while (pending.length && chain.length < 10) {
    const current = asRecord(pending.shift());
    if (!current) continue;
    chain.push(current);
    if (current.cause !== undefined) pending.push(current.cause);
    if (Array.isArray(current.errors)) pending.push(...current.errors);
  }
  return chain;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function definedOnly(values: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
