import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, opendir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Env } from '@atelier/core';
import { contentTypeForKey } from '../content-types';
import {
  assertValidKey,
  InvalidStorageKeyError,
  ObjectInfo,
  ObjectNotFoundError,
  PutOptions,
  SignedUrlOptions,
  StorageDriver,
} from '../storage-driver';
import { UrlSigner } from '../url-signer';

const TEMPORARY_SUFFIX = '.part';

/** Files under STORAGE_DIR; signed URLs point at the api's own `/files` route. */
@Injectable()
export class LocalStorageDriver implements StorageDriver {
  readonly name = 'local' as const;
  private readonly root: string;
  private readonly appUrl: string;

  constructor(
    config: ConfigService<Env, true>,
    private readonly signer: UrlSigner,
  ) {
    this.root = resolve(config.get('STORAGE_DIR', { infer: true }));
    this.appUrl = config.get('APP_URL', { infer: true }).replace(/\/+$/, '');
  }

  async put(key: string, body: Buffer | Readable, _options: PutOptions): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write beside the target and rename, so a reader never sees a half-written file.
    const temporary = `${path}.${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`;
    try {
      if (Buffer.isBuffer(body)) await writeFile(temporary, body);
      else await pipeline(body, createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.head(key))) throw new ObjectNotFoundError(key);
    return createReadStream(path);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const info = await stat(this.pathOf(key));
      if (!info.isFile()) return null;
      // Size and modification time, as nginx and `send` derive theirs: objects are written by
      // rename, so new bytes always come with a new mtime.
      const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      return { size: info.size, contentType: contentTypeForKey(key), etag };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async removeStaleTemporaryFiles(before: Date): Promise<number> {
    let removed = 0;
    let directory;
    try {
      directory = await opendir(this.root, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    for await (const entry of directory) {
      if (!entry.isFile() || !entry.name.endsWith(TEMPORARY_SUFFIX)) continue;
      const path = join(entry.parentPath, entry.name);
      // A write in progress keeps touching its file; one idle since `before` lost its writer.
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtime >= before) continue;
      await rm(path, { force: true });
      removed += 1;
    }
    return removed;
  }

  // Lists sign two URLs per image, so this stays lean: the key is checked (the files route
  // resolves it under the root when the URL is used) and the query is built by hand.
  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    assertValidKey(key);
    const expires = Math.floor((options.signedAt?.getTime() ?? Date.now()) / 1000) + options.expiresInSeconds;
    const download = options.download ? `&download=${encodeURIComponent(options.download)}` : '';
    // base64url needs no escaping.
    const sig = this.signer.sign(key, expires, options.download);
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${this.appUrl}/api/v1/files/${path}?expires=${expires}${download}&sig=${sig}`;
  }

  /** The absolute path of a key, guaranteed to lie inside the root. */
  private pathOf(key: string): string {
    assertValidKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key);
    return path;
  }
}
