import type { Readable } from 'node:stream';

export type StorageDriverName = 'local' | 's3';

export interface PutOptions {
  contentType: string;
}

export interface ObjectInfo {
  size: number;
  contentType: string;
  /** A strong entity tag (quoted) that changes whenever the object's bytes do. */
  etag: string;
}

export interface SignedUrlOptions {
  expiresInSeconds: number;
  /** When set, the URL answers with `Content-Disposition: attachment; filename="…"`. */
  download?: string;
  /** The moment the URL is valid from (its expiry counts from it); default now. */
  signedAt?: Date;
}

/**
 * One object store behind one interface. Keys are `/`-separated relative paths
 * (`users/<userId>/images/<imageId>/<variant>.<ext>`); drivers reject keys that could escape
 * their root.
 */
export interface StorageDriver {
  readonly name: StorageDriverName;
  put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void>;
  /** Rejects with {@link ObjectNotFoundError} when the key does not exist. */
  get(key: string): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Deleting a missing key is not an error (deletes are retried by background jobs). */
  delete(key: string): Promise<void>;
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /** Releases connections (called at shutdown). */
  close?(): void | Promise<void>;
  /**
   * Deletes temporary files a killed process left mid-write, untouched since `before`; returns
   * how many. Only drivers that write temporary files have it.
   */
  removeStaleTemporaryFiles?(before: Date): Promise<number>;
}

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Invalid storage key: ${JSON.stringify(key.slice(0, 200))}`);
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object under ${key}`);
  }
}

/**
 * Keys are plain relative paths: no absolute paths, no `..` or `.` segments, no empty segments,
 * no backslashes or control characters (NUL included). Both drivers apply it so a key that works
 * on one works on the other.
 */
export function assertValidKey(key: string): void {
  const segments = key.split('/');
  const bad =
    key.length === 0 ||
    key.length > 1024 ||
    hasControlCharacterOrBackslash(key) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new InvalidStorageKeyError(key);
}

function hasControlCharacterOrBackslash(key: string): boolean {
  for (const char of key) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || char === '\\') return true;
  }
  return false;
}
