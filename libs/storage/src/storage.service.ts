import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Readable } from 'node:stream';
import type { Env } from '@atelier/core';
import type { ObjectInfo, PutOptions, StorageDriver, StorageDriverName } from './storage-driver';

export const STORAGE_DRIVER = Symbol('STORAGE_DRIVER');

export interface SignedUrlRequest {
  /** Defaults to SIGNED_URL_TTL_SECONDS. */
  expiresInSeconds?: number;
  download?: string;
}

/** The app's object store, whichever driver STORAGE_DRIVER selects. */
@Injectable()
export class StorageService implements OnModuleDestroy {
  private readonly defaultTtl: number;

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

  signedUrl(key: string, request: SignedUrlRequest = {}): Promise<string> {
    return this.driver.signedUrl(key, {
      expiresInSeconds: request.expiresInSeconds ?? this.defaultTtl,
      download: request.download,
    });
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
