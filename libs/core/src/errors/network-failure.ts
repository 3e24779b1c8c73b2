import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import { asRecord, definedOnly, ExternalErrorCode, ExternalServiceError } from './external-error';

// Transport failures (no HTTP answer), classified with the same rules as HTTP failures in
// external-error.ts. (The OpenAI SDK's own errors are mapped next to its provider: fromOpenAIError.)

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
