import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import type { Readable } from 'node:stream';
import type { Env } from '@atelier/core';
import type { ObjectInfo, PutOptions, StorageDriver, StorageDriverName } from './storage-driver';

export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');

export interface SignedUrlRequest {
  /** Defaults to SIGNED_URL_TTL_SECONDS. */
  expiresInSeconds?: number;
  download?: string;
}

/**
 * URLs are signed as of the start of a window of this many seconds (or of the TTL, if shorter) and
 * stay valid for the TTL past its end: every request in a window, in every process, gets the same
 * URL for an object, so browsers and proxies keep the bytes cached across page loads, and a list
 * signs each object at most once per window.
 */
const SIGNING_WINDOW_SECONDS = 300;

/** The app's object store, whichever driver STORAGE_DRIVER selects. */
@Injectable()
export class StorageService implements OnModuleDestroy {
  private readonly defaultTtl: number;
  /** This window's URLs by TTL, download name and key; ~0.5 KB each. */
  private readonly urls = new LRUCache<string, { url: string; window: number }>({ max: 20_000 });

  constructor(
    @Inject(STORAGE_DRIVER) private readonly driver: StorageDriver,
    config: ConfigService<Env, true>,
  ) {
    this.defaultTtl = config.get('SIGNED_URL_TTL_SECONDS', { infer: true });
  }

  get driverName(): StorageDriverName {
    return this.driver.name;
  }

  put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
    return this.driver.put(key, body, options);
  }

  get(key: string): Promise<Readable> {
    return this.driver.get(key);
  }

  head(key: string): Promise<ObjectInfo | null> {
    return this.driver.head(key);
  }

  delete(key: string): Promise<void> {
    return this.driver.delete(key);
  }

  /** A URL that serves `key` for at least the TTL asked (at most one signing window more). */
  async signedUrl(key: string, request: SignedUrlRequest = {}): Promise<string> {
    const ttl = request.expiresInSeconds ?? this.defaultTtl;
    const windowSeconds = Math.min(SIGNING_WINDOW_SECONDS, ttl);
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const cacheKey = `${ttl}\n${request.download ?? ''}\n${key}`;
    const cached = this.urls.get(cacheKey);
    if (cached?.window === window) return cached.url;
    const url = await this.driver.signedUrl(key, {
      expiresInSeconds: ttl + windowSeconds,
      download: request.download,
      signedAt: new Date(window * windowSeconds * 1000),
    });
    this.urls.set(cacheKey, { url, window });
    return url;
  }

  removeStaleTemporaryFiles(before: Date): Promise<number> {
    return this.driver.removeStaleTemporaryFiles?.(before) ?? Promise.resolve(0);
  }

  /** Reads a whole object into memory (images are bounded by MAX_UPLOAD_BYTES). */
  async getBuffer(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.driver.get(key)) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }

  async onModuleDestroy(): Promise<void> {
    await this.driver.close?.();
  }
}
