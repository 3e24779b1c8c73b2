import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { ObjectInfo } from './storage-driver';

/** A stored object about to be answered, opened only if its bytes are really sent. */
export interface StoredObjectAnswer {
  info: ObjectInfo;
  cacheControl: string;
  /** `Content-Disposition` for downloads. */
  disposition?: string;
  open(): Promise<Readable>;
}

/**
 * Sends stored bytes with their entity tag, or a bodiless 304 when the client already holds them
 * (`If-None-Match`). A 304 repeats ETag and Cache-Control, as RFC 9110 §15.4.5 requires, so the
 * client's cached copy gets the fresh lifetime.
 */
export async function sendStoredObject(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: StoredObjectAnswer,
): Promise<void> {
  const validators = { etag: answer.info.etag, 'cache-control': answer.cacheControl };
  if (matchesIfNoneMatch(request.headers['if-none-match'], answer.info.etag)) {
    await reply.status(304).headers(validators).send();
    return;
  }
  await reply
    .headers({
      ...validators,
      'content-type': answer.info.contentType,
      'content-length': String(answer.info.size),
      ...(answer.disposition ? { 'content-disposition': answer.disposition } : {}),
    })
    .send(await answer.open());
}

/** RFC 9110 §13.1.2: weak comparison against each listed tag; `*` matches any current object. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
