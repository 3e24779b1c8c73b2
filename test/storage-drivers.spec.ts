import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ConfigService } from '@nestjs/config';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Env, parseEnv } from '../libs/core/src';
import {
  attachmentDisposition,
  InvalidStorageKeyError,
  ObjectNotFoundError,
  StorageDriver,
  StorageService,
  UrlSigner,
} from '../libs/storage/src';
import { LocalStorageDriver } from '../libs/storage/src/drivers/local.storage-driver';
import { S3StorageDriver } from '../libs/storage/src/drivers/s3.storage-driver';
import { startS3Fake, type S3Fake } from './fakes/s3.fake';

function configOf(raw: Record<string, string>): ConfigService<Env, true> {
  const env = parseEnv(raw);
  return { get: (name: keyof Env) => env[name] } as unknown as ConfigService<Env, true>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

interface DriverFixture {
  driver: StorageDriver;
  verifiesSignatures: boolean;
  /** Fetches a signed URL the way a client would (the local one is checked by its signer). */
  fetchSigned(url: string): Promise<{ status: number; body: Buffer; disposition: string | null }>;
  close(): Promise<void>;
}

async function localFixture(): Promise<DriverFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'atelier-storage-'));
  const config = configOf({ STORAGE_DIR: dir, STORAGE_SIGNING_SECRET: 'a'.repeat(32) });
  const signer = new UrlSigner(config);
  const driver = new LocalStorageDriver(config, signer);
  return {
    driver,
    verifiesSignatures: true,
    // The HTTP side is covered by the images e2e spec; here the URL's signature is verified.
    fetchSigned: async (url) => {
      const parsed = new URL(url);
      const key = decodeURIComponent(parsed.pathname.replace(/^\/api\/v1\/files\//, ''));
      const q = parsed.searchParams;
      const ok =
        signer.check(key, Number(q.get('expires')), q.get('sig') ?? '', q.get('download') ?? undefined) ===
        'valid';
      if (!ok) return { status: 403, body: Buffer.alloc(0), disposition: null };
      return { status: 200, body: await readAll(await driver.get(key)), disposition: q.get('download') };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function s3Fixture(): Promise<DriverFixture> {
  const fake: S3Fake = await startS3Fake({ bucket: 'contract' });
  const driver = new S3StorageDriver(
    configOf({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'contract',
      S3_ENDPOINT: fake.url,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: fake.accessKeyId,
      S3_SECRET_ACCESS_KEY: fake.secretAccessKey,
    }),
  );
  return {
    driver,
    verifiesSignatures: false,
    fetchSigned: async (url) => {
      const res = await fetch(url);
      return {
        status: res.status,
        body: Buffer.from(await res.arrayBuffer()),
        disposition: res.headers.get('content-disposition'),
      };
    },
    close: async () => {
      driver.close();
      await fake.close();
    },
  };
}

describe.each([
  ['local', localFixture],
  ['s3', s3Fixture],
])('storage driver contract: %s', (_name, makeFixture) => {
  let fx: DriverFixture;
  beforeAll(async () => {
    fx = await makeFixture();
  });
  afterAll(() => fx.close());

  it('puts a buffer and reads it back with its size, type and entity tag', async () => {
    const body = Buffer.from('png bytes, or close enough');
    await fx.driver.put('users/u1/images/i1/original.png', body, { contentType: 'image/png' });
    expect(await fx.driver.head('users/u1/images/i1/original.png')).toEqual({
      size: body.length,
      contentType: 'image/png',
      etag: expect.stringMatching(/^"[^"]+"$/),
    });
    expect(await readAll(await fx.driver.get('users/u1/images/i1/original.png'))).toEqual(body);
  });

  it('puts a stream byte-exact and overwrites an existing key, with a new entity tag', async () => {
    const bytes = Buffer.alloc(300_000, 9);
    await fx.driver.put(
      'users/u1/images/i2/original.webp',
      Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      {
        contentType: 'image/webp',
      },
    );
    const first = await fx.driver.head('users/u1/images/i2/original.webp');
    expect(first?.size).toBe(bytes.length);
    await fx.driver.put('users/u1/images/i2/original.webp', Buffer.from('v2'), { contentType: 'image/webp' });
    expect((await fx.driver.head('users/u1/images/i2/original.webp'))?.etag).not.toBe(first?.etag);
    expect((await readAll(await fx.driver.get('users/u1/images/i2/original.webp'))).toString()).toBe('v2');
  });

  it('reports a missing key as null (head) and ObjectNotFoundError (get); deletes idempotently', async () => {
    await fx.driver.put('users/u1/images/i3/original.gif', Buffer.from('gif'), { contentType: 'image/gif' });
    await fx.driver.delete('users/u1/images/i3/original.gif');
    await fx.driver.delete('users/u1/images/i3/original.gif');
    expect(await fx.driver.head('users/u1/images/i3/original.gif')).toBeNull();
    await expect(fx.driver.get('users/u1/images/i3/original.gif')).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
  });

  it('signs URLs that serve the object, with an attachment name when asked', async () => {
    const body = Buffer.from('signed content');
    await fx.driver.put('users/u1/images/i4/original.jpg', body, { contentType: 'image/jpeg' });
    const url = await fx.driver.signedUrl('users/u1/images/i4/original.jpg', {
      expiresInSeconds: 60,
      download: 'sunset.jpg',
    });
    const fetched = await fx.fetchSigned(url);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(body);
    expect(fetched.disposition).toContain('sunset.jpg');
    // s3rver does not verify SigV4 (its authentication.js leaves v4 "unimplemented"), so
    // tampering is only observable on the local driver; real S3 rejects it itself.
    if (fx.verifiesSignatures) {
      await fx.driver.put('users/u1/images/i5/original.jpg', body, { contentType: 'image/jpeg' });
      expect((await fx.fetchSigned(url.replace('i4', 'i5'))).status).toBe(403);
    }
  });

  it.each([
    '../escape.png',
    '/etc/passwd',
    'users/../../x',
    'a//b',
    'nul\u0000byte',
    'back\\slash',
    '',
    './a',
  ])('rejects the key %j', async (key) => {
    await expect(fx.driver.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toBeInstanceOf(
      InvalidStorageKeyError,
    );
    await expect(fx.driver.head(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });
});

// s3rver accepts any signature, so the driver's URLs are held to the SDK's own getSignedUrl: the
// same request signed at the same moment must give the same URL, byte for byte.
describe('S3 signed URLs', () => {
  const keys = ['users/u1/images/i1/original.png', "odd/a b+c(1)!*'~é漢/x%20y.png"];
  const configs = {
    'path style, custom endpoint': { S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' },
    'AWS, virtual-hosted': { S3_REGION: 'eu-west-3' },
  };

  it.each(Object.entries(configs))('are the SDK getSignedUrl ones (%s)', async (_name, extra) => {
    const raw = {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'atelier-media',
      S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'secret',
      ...extra,
    };
    const env = parseEnv(raw);
    const driver = new S3StorageDriver(configOf(raw));
    const client = new S3Client({
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const signingDate = new Date('2026-12-02T10:00:00Z');
    for (const key of keys) {
      for (const download of [undefined, 'été «1».png']) {
        const ours = await driver.signedUrl(key, { expiresInSeconds: 900, download, signedAt: signingDate });
        const command = new GetObjectCommand({
          Bucket: 'atelier-media',
          Key: key,
          ResponseContentDisposition: download ? attachmentDisposition(download) : undefined,
        });
        expect(ours).toBe(await getSignedUrl(client, command, { expiresIn: 900, signingDate }));
      }
    }
    driver.close();
    client.destroy();
  });
});

describe('StorageService signed URLs', () => {
  const signed: { key: string; expiresInSeconds: number; signedAt?: Date }[] = [];
  const driver = {
    name: 'local',
    signedUrl: async (
      key: string,
      options: { expiresInSeconds: number; signedAt?: Date; download?: string },
    ) => {
      signed.push({ key, ...options });
      return `${key}?from=${options.signedAt?.getTime()}&for=${options.expiresInSeconds}&as=${options.download}`;
    },
  } as unknown as StorageDriver;
  const service = new StorageService(driver, configOf({ SIGNED_URL_TTL_SECONDS: '600' }));
  afterEach(() => jest.useRealTimers());

  it('gives one URL per object per window, valid for at least the TTL from any moment in it', async () => {
    const start = Date.parse('2026-12-02T10:00:00Z');
    jest.useFakeTimers({ now: start + 1_000 });
    const first = await service.signedUrl('a.png');
    jest.setSystemTime(start + 299_000);
    expect(await service.signedUrl('a.png')).toBe(first);
    expect(signed).toEqual([
      { key: 'a.png', expiresInSeconds: 900, signedAt: new Date(start), download: undefined },
    ]);
    // Still valid for the whole TTL from the window's last second.
    const validUntil = signed[0].signedAt!.getTime() + signed[0].expiresInSeconds * 1000;
    expect(validUntil - Date.now()).toBeGreaterThanOrEqual(600_000);

    jest.setSystemTime(start + 300_000);
    expect(await service.signedUrl('a.png')).not.toBe(first);
    expect(signed.at(-1)?.signedAt).toEqual(new Date(start + 300_000));
  });

  it('keeps TTLs and download names apart', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-02T11:00:00Z') });
    const urls = new Set([
      await service.signedUrl('b.png'),
      await service.signedUrl('b.png', { expiresInSeconds: 60 }),
      await service.signedUrl('b.png', { download: 'b.png' }),
    ]);
    expect(urls.size).toBe(3);
    // A TTL shorter than the window is its own window: at most twice the TTL.
    expect(signed.at(-2)).toMatchObject({ expiresInSeconds: 120 });
  });
});

describe('local driver containment', () => {
  it('writes only inside STORAGE_DIR and leaves no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atelier-storage-'));
    const config = configOf({ STORAGE_DIR: dir, STORAGE_SIGNING_SECRET: 'b'.repeat(32) });
    const driver = new LocalStorageDriver(config, new UrlSigner(config));
    await driver.put('users/u/images/i/original.png', Readable.from([Buffer.from('abc')]), {
      contentType: 'image/png',
    });
    const files = await readdir(dir, { recursive: true });
    expect(files.filter((f) => f.endsWith('.png') || f.endsWith('.part'))).toEqual([
      join('users', 'u', 'images', 'i', 'original.png'),
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('UrlSigner', () => {
  const signer = new UrlSigner(configOf({ STORAGE_SIGNING_SECRET: 'c'.repeat(32) }));
  const expires = 2_000_000_000;
  const sig = signer.sign('users/u/a.png', expires, 'a.png');

  it.each([
    ['the original', 'users/u/a.png', expires, sig, 'a.png', 'valid'],
    ['another key', 'users/u/b.png', expires, sig, 'a.png', 'invalid'],
    ['a later expiry', 'users/u/a.png', expires + 1, sig, 'a.png', 'invalid'],
    ['another filename', 'users/u/a.png', expires, sig, 'b.png', 'invalid'],
    ['a truncated signature', 'users/u/a.png', expires, sig.slice(1), 'a.png', 'invalid'],
  ])('checks %s', (_what, key, exp, s, download, verdict) => {
    expect(signer.check(key, exp, s, download, 0)).toBe(verdict);
  });

  it('reports an expired URL', () => {
    expect(signer.check('users/u/a.png', expires, sig, 'a.png', (expires + 1) * 1000)).toBe('expired');
  });
});
