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
  /** The platform refuses to publish the same text twice (X 403, LinkedIn 422). */
  DuplicateContent: 'duplicate_content',
  /** The token works but lacks a permission, or the app is not allowed this call: a setup problem. */
  PermissionDenied: 'permission_denied',
  /** A limit of the service (rate, usage) was hit: try again later. */
  RateLimited: 'rate_limited',
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

/** A failed answer as an {@link ErrorDialect} reads it. */
export interface FailedAnswer {
  status: number;
  /** The body parsed as a JSON object; undefined for anything else. */
  body: Record<string, unknown> | undefined;
  header(name: string): string | undefined;
  /** Epoch ms, for turning reset timestamps into delays. */
  now: number;
}

export interface DialectVerdict {
  kind: ExternalErrorClass;
  code: ExternalErrorCode;
  /** For `retryable`: the delay the service asked for, when it says so its own way. */
  retryAfterMs?: number;
}

/**
 * How one service's documented error bodies map onto the shared classes. Each provider and
 * platform declares its own in its own file (STYLE.md: a plugin declares itself); `undefined`
 * means "nothing specific to say", and the status-based rules below decide.
 */
export type ErrorDialect = (answer: FailedAnswer) => DialectVerdict | undefined;

const REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-fb-trace-id',
  'x-transaction-id',
];
const MAX_MESSAGE_LENGTH = 500;

export function classifyHttpFailure(failure: HttpFailure, dialect?: ErrorDialect): ExternalServiceError {
  const { status, service } = failure;
  const now = failure.now ?? Date.now();
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
  const retryable = (retryAfterMs = retryDelay(header, status, now)) =>
    new ExternalServiceError({
      ...common,
      kind: 'retryable',
      code: ExternalErrorCode.ProviderUnavailable,
      retryAfterMs,
    });

  const verdict = dialect?.({ status, body, header, now });
  if (verdict) {
    const retryAfterMs =
      verdict.kind === 'retryable' ? (verdict.retryAfterMs ?? retryDelay(header, status, now)) : undefined;
    return new ExternalServiceError({ ...common, ...verdict, retryAfterMs });
  }

  if (status === 408 || status === 409 || status === 429 || status >= 500) return retryable();
  if (status === 401) {
    return new ExternalServiceError({ ...common, kind: 'auth', code: ExternalErrorCode.ProviderAuth });
  }
  // A 403 is about the token only when the service's body says so (its dialect): otherwise it is a
  // refusal (permission, policy, duplicate) that a new token cannot change.
  if (status === 403) {
    return new ExternalServiceError({
      ...common,
      kind: 'rejected',
      code: ExternalErrorCode.PermissionDenied,
    });
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

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

export function definedOnly(values: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
