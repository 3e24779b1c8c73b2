import { io, type Socket } from 'socket.io-client';

/** One Server-Sent Event of `GET /api/v1/jobs/{id}/events`; `data` is the job event as JSON. */
export interface JobStreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface JobEventsOptions {
  baseUrl: string;
  jobId: string;
  accessToken: string;
  /** Resume after this event id (what EventSource sends as Last-Event-ID). */
  lastEventId?: string;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

/**
 * The job's events, replayed then live, until the server ends the stream after the final one
 * (completed, failed or cancelled). Uses fetch, so it runs where EventSource does not (Node,
 * React Native) and sends the token as a header rather than in the URL.
 */
export async function* jobEvents(options: JobEventsOptions): AsyncGenerator<JobStreamEvent> {
  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    authorization: `Bearer ${options.accessToken}`,
  };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const url = new URL(`/api/v1/jobs/${encodeURIComponent(options.jobId)}/events`, options.baseUrl);
  const response = await (options.fetch ?? globalThis.fetch)(url, { headers, signal: options.signal });
  if (!response.ok || !response.body) {
    throw new Error(`job events answered ${response.status}: ${await response.text()}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const event = parseEventBlock(buffer.slice(0, boundary));
      buffer = buffer.slice(boundary + 2);
      if (event) yield event;
    }
  }
}

/** One `\n\n`-separated block of the text/event-stream format; comments and empty data skipped. */
export function parseEventBlock(block: string): JobStreamEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return undefined;
  const text = data.join('\n');
  return { id, event, data: parseJson(text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The socket.io channel of live job events for the signed-in user (`job.event` messages on the
 * `/events` namespace). The access token goes in the handshake's `auth.token`.
 */
export function connectJobSocket(baseUrl: string, accessToken: string): Socket {
  return io(new URL('/events', baseUrl).toString(), {
    auth: { token: accessToken },
    transports: ['websocket'],
  });
}
