import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Env } from '@atelier/core';

export type SignatureCheck = 'valid' | 'invalid' | 'expired';

/**
 * HMAC-SHA256 signatures of the local driver's file URLs. The signature covers the key, the
 * expiry and the download filename, so none can be changed without invalidating the URL.
 */
@Injectable()
export class UrlSigner {
  private readonly secret: Buffer;

  constructor(config: ConfigService<Env, true>) {
    const configured = config.get('STORAGE_SIGNING_SECRET', { infer: true });
    if (!configured) {
      // Development only: URLs stop working when the process restarts (they are short-lived anyway).
      new Logger(UrlSigner.name).warn(
        'STORAGE_SIGNING_SECRET is not set: using a random key for this process',
      );
    }
    this.secret = configured ? Buffer.from(configured) : randomBytes(32);
  }

  sign(key: string, expires: number, download?: string): string {
    return createHmac('sha256', this.secret)
      .update(`${key}\n${expires}\n${download ?? ''}`)
      .digest('base64url');
  }

  check(key: string, expires: number, sig: string, download?: string, now = Date.now()): SignatureCheck {
    if (!Number.isSafeInteger(expires)) return 'invalid';
    const expected = Buffer.from(this.sign(key, expires, download));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return expires * 1000 < now ? 'expired' : 'valid';
  }
}
