import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { EventBus } from '@atelier/core';
import { FINAL_EVENT_TYPES, FINISHED_STATUSES } from '../processing.types';
import type { Job } from './job.entity';
import { jobChannel, JobEventMessage, JobEventsService } from './job-events.service';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events for one job: replays the recorded events, then relays live ones from the
 * EventBus, and ends after the final event. Subscribing before reading the history (and
 * dropping anything at or below the last replayed seq) means nothing falls between the two.
 * A finished job with nothing left to send answers 204, which (WHATWG HTML, "server-sent
 * events") makes an EventSource stop reconnecting. Open streams end on shutdown, so the HTTP
 * server can close.
 */
@Injectable()
export class JobStreamService implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly bus: EventBus,
    private readonly events: JobEventsService,
  ) {}

  /** `headers`: what the framework set before the reply was hijacked (CORS, security headers). */
  async stream(
    job: Job,
    res: ServerResponse,
    options: { lastEventId?: number; headers?: Record<string, unknown> } = {},
  ): Promise<void> {
    const headers = options.headers as Record<string, string>;
    let lastSeq = options.lastEventId ?? 0;
    if (FINISHED_STATUSES.includes(job.status) && (await this.events.exhausted(job.id, lastSeq))) {
      res.writeHead(204, headers).end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let ended = false;
    let replaying = true;
    const pending: JobEventMessage[] = [];
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);

    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      this.open.delete(end);
      void unsubscribe.then((stop) => stop()).catch(() => undefined);
      res.end();
    };
    const send = (event: JobEventMessage) => {
      if (ended || event.seq <= lastSeq) return;
      lastSeq = event.seq;
      res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      if (FINAL_EVENT_TYPES.has(event.type)) end();
    };
    const unsubscribe = this.bus.subscribe(jobChannel(job.id), (_channel, payload) => {
      const event = payload as JobEventMessage;
      if (replaying) pending.push(event);
      else send(event);
    });
    res.on('close', end);
    this.open.add(end);

    await unsubscribe;
    for (const event of await this.events.history(job.id, lastSeq)) send(event);
    replaying = false;
    for (const event of pending.sort((a, b) => a.seq - b.seq)) send(event);
  }

  beforeApplicationShutdown(): void {
    for (const end of [...this.open]) end();
  }
}
