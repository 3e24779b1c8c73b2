import { io, type Socket } from 'socket.io-client';
import { streamJobEvents } from '../support/jobs';
import type { ApiClient } from './api-client';

export interface JobEvent {
  jobId: string;
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** Reads `GET /jobs/:id/events` (Server-Sent Events) until the server ends it after the final event. */
export async function readJobStream(
  client: ApiClient,
  jobId: string,
  timeoutMs = 30_000,
): Promise<JobEvent[]> {
  const auth = { Authorization: `Bearer ${client.token}` };
  const events = (await streamJobEvents({ url: client.baseUrl }, { auth }, jobId, { timeoutMs })).map(
    (e) => e.data,
  );
  const last = events[events.length - 1];
  if (!last || !FINAL.has(last.type))
    throw new Error(`the stream of job ${jobId} ended without a final event`);
  return events;
}

/** A socket.io client of the `/events` namespace, resolved once the server says it is ready. */
export async function connectEvents(baseUrl: string, token: string): Promise<Socket> {
  const socket = io(`${baseUrl}/events`, { transports: ['websocket'], auth: { token }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
    socket.once('disconnect', (reason) => reject(new Error(`socket.io disconnected: ${reason}`)));
  });
  return socket;
}

/**
 * Records every job event the socket relays from now on; `finished(jobId)` resolves with that
 * job's events once its final one has arrived (even if it arrived before the call).
 */
export function recordSocketJobEvents(socket: Socket) {
  const seen: JobEvent[] = [];
  socket.on('job.event', (event: JobEvent) => seen.push(event));
  const finished = (jobId: string, timeoutMs = 30_000) =>
    new Promise<JobEvent[]>((resolve, reject) => {
      const check = () => {
        const mine = seen.filter((e) => e.jobId === jobId);
        if (!mine.some((e) => FINAL.has(e.type))) return;
        cleanup();
        resolve(mine);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no final socket.io event for job ${jobId}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('job.event', check);
      };
      socket.on('job.event', check);
      check();
    });
  return { finished };
}
