import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque bearer tokens (refresh, email verification, password reset): handed out once, stored only
 * as a hash, so a database leak does not leak usable tokens.
 */

const MIN_TOKEN_BYTES = 16;
const MAX_TOKEN_BYTES = 1024;

/** `bytes` random bytes as base64url (32 bytes → 43 characters, URL- and header-safe). */
export function generateOpaqueToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_TOKEN_BYTES || bytes > MAX_TOKEN_BYTES) {
    throw new RangeError(`Token size must be an integer from ${MIN_TOKEN_BYTES} to ${MAX_TOKEN_BYTES} bytes`);
  }
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a token, for storage and lookup. Tokens are high-entropy, so no salt is needed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time equality that does not leak where the inputs differ nor their lengths: both sides
 * are hashed to fixed-size digests before the comparison.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digest = (v: string | Buffer) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Hex HMAC-SHA256, e.g. for webhook signatures (`"{timestamp}.{raw body}"`). */
export function hmacSha256Hex(secret: string | Buffer, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}
