import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';
import type { TestUser } from './users';

/** One Server-Sent Event as the job stream sends it. */
export interface StreamedEvent {
  id?: string;
  event: string;
  data: { jobId: string; seq: number; type: string; data: Record<string, unknown>; createdAt: string };
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Reads `GET /jobs/:id/events` until the server ends the stream (it does after the final event)
 * and returns every event; rejects after `timeoutMs`. This is how tests await a job's end.
 */
export async function streamJobEvents(
  t: Pick<TestApp, 'url'>,
  user: Pick<TestUser, 'auth'>,
  jobId: string,
  options: { timeoutMs?: number; onEvent?: (event: StreamedEvent) => void } = {},
): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  try {
    const res = await fetch(`${t.url}/api/v1/jobs/${jobId}/events`, {
      headers: { ...user.auth, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
    const events: StreamedEvent[] = [];
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = parseBlock(block);
        if (!event) continue;
        events.push(event);
        options.onEvent?.(event);
      }
    }
    return events;
  } catch (err) {
    if (controller.signal.aborted) throw new Error(`No final event for job ${jobId} in time`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function parseBlock(block: string): StreamedEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (!data.length) return undefined;
  return { id, event, data: JSON.parse(data.join('\n')) };
}

/** GET /jobs/:id as the tests read it. */
export interface JobView {
  id: string;
  status: string;
  prompt: string;
  attempts: number;
  progress: number;
  error: { code: string; message: string } | null;
  resultImageIds: string[];
  results: { id: string; contentUrl: string; thumbnailUrl: string | null }[];
  providerRequestId: string | null;
  usage: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** Waits for the job to end (through SSE) and returns it as GET /jobs/:id shows it. */
export async function waitForJobEnd(
  t: TestApp,
  user: TestUser,
  jobId: string,
  timeoutMs = 30_000,
): Promise<{ job: JobView; events: StreamedEvent[] }> {
  const events = await streamJobEvents(t, user, jobId, { timeoutMs });
  const last = events[events.length - 1];
  if (!last || !FINAL.has(last.event)) throw new Error(`stream for ${jobId} ended without a final event`);
  const res = await t.http.get(`/api/v1/jobs/${jobId}`).set(user.auth);
  return { job: res.body, events };
}

export async function submitJob(
  t: TestApp,
  user: TestUser,
  body: Record<string, unknown>,
  idempotencyKey?: string,
) {
  const req = t.http.post('/api/v1/jobs').set(user.auth);
  if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
  return req.send(body);
}

/** Today's quota use of one kind, read from the database. */
export async function quotaUsed(t: TestApp, userId: string, kind: 'generation' | 'edit'): Promise<number> {
  const rows: { used: number }[] = await t.db.query(
    "SELECT used FROM quota_usage WHERE user_id = $1 AND kind = $2 AND day = (now() AT TIME ZONE 'utc')::date",
    [userId, kind],
  );
  return rows.length ? Number(rows[0].used) : 0;
}

/** Uploads an image through the API and returns its id. */
export async function uploadImage(
  t: TestApp,
  user: TestUser,
  buffer: Buffer,
  name = 'source.png',
): Promise<string> {
  const res = await t.http.post('/api/v1/images').set(user.auth).attach('file', buffer, name);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export const uniqueKey = () => `key-${randomBytes(6).toString('hex')}`;
