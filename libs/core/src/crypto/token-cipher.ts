import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (social access and refresh tokens). Output is a compact, versioned
 * string `v1.<iv>.<tag>.<ciphertext>` (base64url parts), so the format can change later without
 * guessing what a stored value is.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^(?:[A-Za-z0-9+/]{43}=?|[A-Za-z0-9_-]{43}=?)$/;
const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;

export class TokenCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenCipherError';
  }
}

/**
 * Parses an encryption key given as 64 hex characters or base64/base64url of exactly 32 bytes.
 * Anything else throws: a short or mistyped key must stop the process, not be stretched silently.
 */
export function parseTokenEncryptionKey(key: string): Buffer {
  const trimmed = typeof key === 'string' ? key.trim() : '';
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (BASE64_KEY.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw new TokenCipherError('Encryption key must be 32 bytes given as 64 hex characters or base64');
}

export class TokenCipher {
  readonly #key: Buffer;

  constructor(key: string) {
    this.#key = parseTokenEncryptionKey(key);
  }

  /**
   * Encrypts with a fresh random 12-byte IV. `associatedData` (e.g. the owning row's id) is
   * authenticated but not stored: decrypt must be given the same value, so a ciphertext copied to
   * another row does not decrypt there.
   */
  encrypt(plain: string, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** Throws TokenCipherError when the value is malformed, of another version, tampered with or under another key. */
  decrypt(encrypted: string, associatedData?: string): string {
    const parts = typeof encrypted === 'string' ? encrypted.split('.') : [];
    if (parts.length !== 4) throw new TokenCipherError('Encrypted value is malformed');
    const [version, ...encoded] = parts;
    if (version !== VERSION) throw new TokenCipherError(`Unsupported encrypted value version "${version}"`);
    if (!encoded.every((p) => BASE64URL_PART.test(p)))
      throw new TokenCipherError('Encrypted value is malformed');
    const [iv, tag, ciphertext] = encoded.map((p) => Buffer.from(p, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new TokenCipherError('Encrypted value is malformed');

    const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenCipherError('Encrypted value could not be decrypted: wrong key or tampered data');
    }
  }
}
