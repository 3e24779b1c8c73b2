import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { formatUrl } from '@aws-sdk/core/util';
import { Upload } from '@aws-sdk/lib-storage';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { Readable } from 'node:stream';
import type { Env } from '@atelier/core';
import { attachmentDisposition } from '../content-disposition';
import {
  assertValidKey,
  ObjectInfo,
  ObjectNotFoundError,
  PutOptions,
  SignedUrlOptions,
  StorageDriver,
} from '../storage-driver';

/** The bucket's base URL and a signer for it, resolved once per driver. */
interface Presigning {
  base: URL;
  presigner: S3RequestPresigner;
}

/** Any S3-compatible store (AWS, MinIO, s3rver in tests) through the official SDK. */
@Injectable()
export class S3StorageDriver implements StorageDriver {
  readonly name = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private presigning?: Promise<Presigning>;

  constructor(config: ConfigService<Env, true>) {
    const accessKeyId = config.get('S3_ACCESS_KEY_ID', { infer: true });
    const secretAccessKey = config.get('S3_SECRET_ACCESS_KEY', { infer: true });
    this.bucket = config.get('S3_BUCKET', { infer: true }) ?? '';
    this.client = new S3Client({
      region: config.get('S3_REGION', { infer: true }),
      endpoint: config.get('S3_ENDPOINT', { infer: true }),
      forcePathStyle: config.get('S3_FORCE_PATH_STYLE', { infer: true }),
      // Without explicit keys the SDK's default chain applies (instance role, env, profile).
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      // Flexible checksums (SDK default since 2025) are not understood by every S3-compatible
      // server; only send them where the operation requires one.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
    assertValidKey(key);
    const params = { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType };
    if (Buffer.isBuffer(body)) {
      await this.client.send(new PutObjectCommand(params));
      return;
    }
    // A stream has no known length: Upload buffers it into (multi)parts.
    await new Upload({ client: this.client, params }).done();
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return result.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const result = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: result.ContentLength ?? 0,
        contentType: result.ContentType ?? 'application/octet-stream',
        etag: result.ETag ?? `"${result.ContentLength ?? 0}-${result.LastModified?.getTime() ?? 0}"`,
      };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /**
   * Lists sign a URL per item, so this signs a prebuilt GET with one long-lived presigner: the
   * SDK's `getSignedUrl` resolves the endpoint, clones the middleware stack and derives a new
   * signing key on every call (~0.5 ms each, 10× the signature itself). The request is the one
   * GetObject would send (the same path encoding and query), so the URL is the SDK's.
   */
  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    assertValidKey(key);
    const { base, presigner } = await (this.presigning ??= this.preparePresigning());
    const query: Record<string, string> = { 'x-id': 'GetObject' };
    if (options.download) query['response-content-disposition'] = attachmentDisposition(options.download);
    const request = new HttpRequest({
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path: `${base.pathname.replace(/\/$/, '')}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`,
      query,
      headers: {},
    });
    const signed = await presigner.presign(request, {
      expiresIn: options.expiresInSeconds,
      signingDate: options.signedAt,
    });
    return formatUrl(signed);
  }

  /** The bucket's endpoint by the SDK's own rules (region, path style, custom endpoint). */
  private async preparePresigning(): Promise<Presigning> {
    const endpoint = await getEndpointFromInstructions(
      { Bucket: this.bucket, Key: 'key' },
      GetObjectCommand,
      this.client.config,
    );
    const scheme = endpoint.properties?.authSchemes?.[0] as
      { signingName?: string; signingRegion?: string } | undefined;
    const region = scheme?.signingRegion ?? (await this.client.config.region());
    const presigner = new S3RequestPresigner({
      ...this.client.config,
      signingName: scheme?.signingName,
      region: async () => region,
    });
    return { base: new URL(endpoint.url.href), presigner };
  }

  close(): void {
    this.client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}
