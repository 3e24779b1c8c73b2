import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { RecordedRequest } from './recorded-request';

/*
 * S3 on loopback: s3rver (providers.md § S3) over a temp directory with one bucket created up
 * front. s3rver checks SigV4 against its built-in key pair S3RVER / S3RVER, so clients must use
 * those credentials (returned here). Use path-style addressing (`forcePathStyle: true`).
 * Requests are recorded without bodies (s3rver consumes them). NB: with its default flexible
 * checksums, AWS SDK v3 sends a streamed PutObject as `aws-chunked`, which s3rver stores framing
 * and all (1,000 bytes became 1,043 when tried); `clientConfig` therefore sets
 * `requestChecksumCalculation: 'WHEN_REQUIRED'`, and the app's S3 driver needs the same option.
 */

export interface S3FakeOptions {
  bucket?: string;
}

export class S3Fake extends EventEmitter {
  url = '';
  readonly region = 'us-east-1';
  readonly accessKeyId = 'S3RVER';
  readonly secretAccessKey = 'S3RVER';
  readonly requests: RecordedRequest[] = [];
  private s3rver?: S3rver;
  private directory = '';

  constructor(readonly bucket: string) {
    super();
  }

  /** Client settings for `new S3Client(fake.clientConfig)`. */
  get clientConfig() {
    return {
      endpoint: this.url,
      region: this.region,
      forcePathStyle: true,
      credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    };
  }

  async listen(): Promise<this> {
    this.directory = await mkdtemp(join(tmpdir(), 'atelier-s3-'));
    this.s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: this.directory,
      configureBuckets: [{ name: this.bucket }],
    });
    const { port } = await this.s3rver.run();
    this.url = `http://127.0.0.1:${port}`;
    this.s3rver.httpServer?.prependListener('request', (req) => {
      const target = new URL(req.url ?? '/', 'http://fake.invalid');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: target.pathname,
        url: req.url ?? '/',
        query: target.searchParams,
        headers: req.headers,
        body: Buffer.alloc(0),
        receivedAt: new Date(),
      };
      this.requests.push(recorded);
      this.emit('request', recorded);
    });
    return this;
  }

  async close(): Promise<void> {
    if (this.s3rver?.httpServer) {
      this.s3rver.httpServer.closeAllConnections();
      await this.s3rver.close();
    }
    await rm(this.directory, { recursive: true, force: true });
  }
}

export async function startS3Fake(options: S3FakeOptions = {}): Promise<S3Fake> {
  return new S3Fake(options.bucket ?? 'atelier-test').listen();
}
