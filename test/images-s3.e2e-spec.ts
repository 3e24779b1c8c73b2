import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import sharp from 'sharp';
import { QueueName } from '../libs/core/src';
import { Image, imageJobId } from '../libs/images/src';
import { startS3Fake, type S3Fake } from './fakes/s3.fake';
import { awaitImageJobs, awaitJob, imageBytes, upload } from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';

describe('images on the s3 storage driver (s3rver on loopback, real AWS SDK)', () => {
  let s3: S3Fake;
  let client: S3Client;
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    s3 = await startS3Fake({ bucket: 'atelier-media' });
    client = new S3Client(s3.clientConfig);
    t = await startTestApp({
      FEATURES: 'images',
      STORAGE_DRIVER: 's3',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.url,
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
  });
  afterAll(async () => {
    await t.close();
    client.destroy();
    await s3.close();
  });

  const keysInBucket = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map(
      (o) => o.Key as string,
    );

  it('stores the original and the thumbnail in the bucket', async () => {
    const res = await upload(t, alice, await imageBytes('jpeg', 800, 400), 'wide.jpg').expect(201);
    await awaitImageJobs(t, res.body.id);
    const row = await t.db.getRepository(Image).findOneByOrFail({ id: res.body.id });
    expect(row.originalKey).toBe(`users/${alice.id}/images/${row.id}/original.jpg`);
    const original = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: row.originalKey }));
    expect([original.ContentType, original.ContentLength]).toEqual(['image/jpeg', row.bytes]);
    const thumb = await client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: row.thumbnailKey as string }),
    );
    expect(thumb.ContentType).toBe('image/webp');
  });

  it('redirects content requests to a presigned URL that serves the bytes', async () => {
    const res = await upload(t, alice, await imageBytes('png', 300, 200), 'p.png', {
      title: 'Night sky',
    }).expect(201);
    await awaitImageJobs(t, res.body.id);
    const redirect = await t.http.get(`/api/v1/images/${res.body.id}/content`).set(alice.auth).expect(302);
    const location = redirect.headers.location as string;
    expect(location.startsWith(`${s3.url}/${s3.bucket}/users/${alice.id}/`)).toBe(true);
    expect(location).toContain('X-Amz-Signature=');
    const fetched = await fetch(location);
    expect(fetched.status).toBe(200);
    expect((await sharp(Buffer.from(await fetched.arrayBuffer())).metadata()).width).toBe(300);

    const download = await t.http
      .get(`/api/v1/images/${res.body.id}/content?download=1`)
      .set(alice.auth)
      .expect(302);
    const viaS3 = await fetch(download.headers.location as string);
    expect(viaS3.headers.get('content-disposition')).toContain('Night-sky.png');
    const thumb = await t.http
      .get(`/api/v1/images/${res.body.id}/content?variant=thumbnail`)
      .set(alice.auth)
      .expect(302);
    expect(thumb.headers.location).toContain('thumbnail.webp');

    await t.http.get(`/api/v1/images/${res.body.id}/content`).set(bob.auth).expect(404);
    await t.http.get(`/api/v1/images/${res.body.id}/content`).expect(404);
    const listed = await t.http.get('/api/v1/images').set(alice.auth).expect(200);
    // The list shows the thumbnail (made by now), presigned like the content route's redirect.
    expect(listed.body.items[0].previewUrl).toContain('X-Amz-Signature=');
    expect(listed.body.items[0].previewUrl).toContain('thumbnail.webp');
  });

  it('leaves no object behind for a corrupt upload, and purges objects of a deleted image', async () => {
    const before = await keysInBucket();
    const valid = await imageBytes('png', 200, 200);
    await upload(t, alice, valid.subarray(0, valid.length >> 1), 'broken.png').expect(400);
    expect(await keysInBucket()).toEqual(before);

    const res = await upload(t, alice, valid, 'gone.png').expect(201);
    await awaitImageJobs(t, res.body.id);
    expect((await keysInBucket()).filter((k) => k.includes(res.body.id))).toHaveLength(2);
    await t.http.delete(`/api/v1/images/${res.body.id}`).set(alice.auth).expect(204);
    await awaitJob(t.app.get<Queue>(getQueueToken(QueueName.Media)), imageJobId.purge(res.body.id));
    expect((await keysInBucket()).filter((k) => k.includes(res.body.id))).toEqual([]);
  });
});
