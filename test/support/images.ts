import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { readdir } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { QueueName } from '../../libs/core/src';
import { imageJobId } from '../../libs/images/src';
import type { TestApp } from './test-app';
import type { TestUser } from './users';

export type UploadFormat = 'png' | 'jpeg' | 'webp' | 'gif';

/** A small decodable image with some texture (so truncating it really corrupts pixel data). */
export async function imageBytes(format: UploadFormat, width = 64, height = 48, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + seed * 104729) % 251;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** POST /images as multipart. */
export function upload(
  t: TestApp,
  user: Pick<TestUser, 'auth'>,
  bytes: Buffer,
  filename = 'photo.png',
  fields: Record<string, string | string[]> = {},
) {
  const req = t.http.post('/api/v1/images').set(user.auth).attach('file', bytes, filename);
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) req.field(name, v);
  }
  return req;
}

/**
 * Waits (bounded) for the thumbnail job of an image and, when a moderation driver is configured,
 * its moderation job: no sleeps.
 */
export async function awaitImageJobs(t: TestApp, imageId: string, timeoutMs = 15_000): Promise<void> {
  const media = t.app.get<Queue>(getQueueToken(QueueName.Media));
  await awaitJob(media, imageJobId.thumbnail(imageId), timeoutMs);
  if ((t.env.MODERATION_DRIVER ?? 'none') === 'none') return;
  const moderation = t.app.get<Queue>(getQueueToken(QueueName.Moderation));
  await awaitJob(moderation, imageJobId.moderate(imageId), timeoutMs);
}

export async function awaitJob(queue: Queue, jobId: string, timeoutMs = 15_000): Promise<unknown> {
  const job = await queue.getJob(jobId);
  if (!job) throw new Error(`No job ${jobId} on ${queue.name}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Job ${jobId} did not finish in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([job.finished(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every file under a directory (relative paths), for "nothing left behind" checks. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => `${e.parentPath}/${e.name}`.slice(dir.length + 1));
}

/**
 * A "decompression bomb": a valid PNG of a few dozen bytes whose header declares
 * width × height pixels (the IHDR chunk is rewritten with a correct CRC).
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The path and query of an absolute URL (signed URLs carry APP_URL, not the test server's port). */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
