import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { startS3Fake, type S3Fake } from './s3.fake';

describe('S3 fake (s3rver), driven by @aws-sdk/client-s3', () => {
  let fake: S3Fake;
  let client: S3Client;

  beforeEach(async () => {
    fake = await startS3Fake({ bucket: 'images' });
    client = new S3Client(fake.clientConfig);
  });
  afterEach(async () => {
    client.destroy();
    await fake.close();
  });

  it('puts and gets an object in the pre-created bucket', async () => {
    const body = Buffer.from('hello s3');
    await client.send(
      new PutObjectCommand({ Bucket: 'images', Key: 'a/b.txt', Body: body, ContentType: 'text/plain' }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: 'images', Key: 'a/b.txt' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
    expect(got.ContentType).toBe('text/plain');
    expect(fake.requests.map((r) => r.method)).toEqual(['PUT', 'GET']);
  });

  it('stores a streamed Upload byte-exact and serves a presigned GET', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    await new Upload({
      client,
      params: { Bucket: 'images', Key: 'stream.bin', Body: Readable.from([bytes]) },
    }).done();
    const head = await client.send(new HeadObjectCommand({ Bucket: 'images', Key: 'stream.bin' }));
    expect(head.ContentLength).toBe(bytes.length);
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'images', Key: 'stream.bin' }), {
      expiresIn: 60,
    });
    const fetched = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(fetched.equals(bytes)).toBe(true);
  });

  it('removes its directory on close', async () => {
    const other = await startS3Fake();
    const directory = (other as unknown as { directory: string }).directory;
    expect(existsSync(directory)).toBe(true);
    await other.close();
    expect(existsSync(directory)).toBe(false);
  });
});
