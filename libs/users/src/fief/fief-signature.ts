import { hmacSha256Hex, safeEqual } from '@atelier/core';

/** How far a webhook's timestamp may be from our clock (replays older than this are refused). */
export const FIEF_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck = 'valid' | 'invalid' | 'stale';

/**
 * Fief signs `"{timestamp}.{raw body}"` with HMAC-SHA256 (hex) under the webhook secret and sends
 * it in X-Fief-Webhook-Signature, the Unix timestamp in X-Fief-Webhook-Timestamp.
 */
export function checkFiefSignature(
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
  timestamp: string | undefined,
  now: Date,
): SignatureCheck {
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const expected = hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]));
  if (!safeEqual(expected, signature.trim().toLowerCase())) return 'invalid';
  const age = Math.abs(now.getTime() / 1000 - Number(timestamp));
  return age > FIEF_TOLERANCE_SECONDS ? 'stale' : 'valid';
}
