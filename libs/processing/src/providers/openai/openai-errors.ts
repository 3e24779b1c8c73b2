import { APIConnectionError, APIError } from 'openai';
import {
  asRecord,
  classifyHttpFailure,
  classifyNetworkFailure,
  type ErrorDialect,
  ExternalErrorCode,
  ExternalServiceError,
  isAbortError,
  type NetworkFailureContext,
} from '@atelier/core';

const SERVICE = 'openai';
/** gpt-image-1 answers `moderation_blocked`, the dall-e models `content_policy_violation`. */
const CONTENT_POLICY_CODES = new Set(['moderation_blocked', 'content_policy_violation']);

/** OpenAI's documented error bodies that the status alone would misread. */
export const openAIErrorDialect: ErrorDialect = ({ body }) => {
  const error = asRecord(body?.error);
  if (typeof error?.code === 'string' && CONTENT_POLICY_CODES.has(error.code)) {
    return { kind: 'rejected', code: ExternalErrorCode.ContentPolicy };
  }
  // 429 means a rate limit (retry) or an exhausted balance (billing: retrying cannot help).
  if (error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota') {
    return { kind: 'rejected', code: ExternalErrorCode.ProviderQuota };
  }
  return undefined;
};

/**
 * Maps the `openai` SDK's errors with the shared rules and the OpenAI dialect: `APIError`
 * subclasses carry `status`, `error` (the body's `error` member), `headers` and `requestID`;
 * connection errors carry no status. Generation requests are safe to repeat, so a lost connection
 * is `retryable` unless the caller says otherwise. A user abort is rethrown unchanged, as in
 * classifyNetworkFailure.
 */
export function fromOpenAIError(
  err: unknown,
  context: Omit<NetworkFailureContext, 'service'> = { requestSent: false },
): ExternalServiceError {
  if (err instanceof ExternalServiceError) return err;
  if (isAbortError(err, context.signal)) throw err;
  if (err instanceof APIConnectionError || !(err instanceof APIError)) {
    return classifyNetworkFailure(err, { ...context, service: SERVICE });
  }
  const classified = classifyHttpFailure(
    {
      // A status-less APIError is an `error` event inside a stream: judge it by its body, as a server error.
      status: err.status ?? 500,
      headers: err.headers,
      body: { error: err.error },
      service: SERVICE,
    },
    openAIErrorDialect,
  );
  return new ExternalServiceError({
    kind: classified.kind,
    code: classified.code,
    service: SERVICE,
    message: classified.message,
    status: err.status,
    retryAfterMs: classified.retryAfterMs,
    providerRequestId: err.requestID ?? classified.providerRequestId,
    details: classified.details,
    cause: err,
  });
}
