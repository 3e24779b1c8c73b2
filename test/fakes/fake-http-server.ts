import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordRequest, sendJson, type RecordedRequest } from './recorded-request';
import { waitFor, type WaitOptions } from './wait-for';

/** What every fake hands back to a test. */
export interface Fake {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A queue of one-shot scripted behaviours ("fail the next tweet with 429"). Each entry may be
 * limited to the requests it matches, so a failure meant for one route never hits another.
 */
export class Script<T> {
  private readonly entries: Array<{ item: T; match: (req: RecordedRequest) => boolean }> = [];

  push(item: T, match: (req: RecordedRequest) => boolean = () => true): void {
    this.entries.push({ item, match });
  }

  take(req: RecordedRequest): T | undefined {
    const index = this.entries.findIndex((entry) => entry.match(req));
    if (index < 0) return undefined;
    return this.entries.splice(index, 1)[0].item;
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Turns a path (exact string or pattern) into a request matcher for {@link Script}. */
export function pathMatcher(path?: string | RegExp): (req: RecordedRequest) => boolean {
  if (path === undefined) return () => true;
  return (req) => (typeof path === 'string' ? req.path === path : path.test(req.path));
}

/**
 * Base of the HTTP fakes: loopback server on port 0, a log of every request (body parsed), an
 * optional response delay, a "hold" that parks requests until the test releases them, and
 * events so tests wait on facts instead of sleeping:
 *   'request' (RecordedRequest) — received and recorded, before the fake answers;
 *   'held' (RecordedRequest)    — parked by {@link hold};
 *   'abort' (RecordedRequest)   — the client went away before the fake answered.
 */
export abstract class FakeHttpServer extends EventEmitter implements Fake {
  url = '';
  readonly requests: RecordedRequest[] = [];
  /** Requests whose client disconnected before the answer was complete (cancel tests). */
  readonly aborted: RecordedRequest[] = [];
  protected readonly server: Server;
  private delayMs = 0;
  private holdGate?: { promise: Promise<void>; open: () => void };

  constructor() {
    super();
    this.server = createServer((req, res) => void this.dispatch(req, res));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.holdGate?.open();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets and held requests would keep close() waiting forever.
      this.server.closeAllConnections();
    });
  }

  /** Delay every answer that goes through {@link pause} by `ms` (0 = none). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Parks every request that reaches {@link pause} until the returned function is called (or the
   * fake closes). Emits 'held' for each parked request so a test can wait for it.
   */
  hold(): () => void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    const gate = { promise, open };
    this.holdGate = gate;
    return () => {
      if (this.holdGate === gate) this.holdGate = undefined;
      gate.open();
    };
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitForRequest(
    predicate: (req: RecordedRequest) => boolean = () => true,
    options?: WaitOptions,
  ): Promise<RecordedRequest> {
    return waitFor(this, 'request', () => this.requests.find(predicate), {
      description: 'a matching request',
      ...options,
    });
  }

  /** Resolves once `count` recorded requests match (e.g. the third poll). */
  waitForRequestCount(
    count: number,
    predicate: (req: RecordedRequest) => boolean = () => true,
    options?: WaitOptions,
  ): Promise<RecordedRequest[]> {
    return waitFor(
      this,
      'request',
      () => {
        const matching = this.requests.filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      { description: `${count} matching requests`, ...options },
    );
  }

  /** Applies the configured delay and hold; the handlers call it where the real service "works". */
  protected async pause(req: RecordedRequest): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const gate = this.holdGate;
    if (gate) {
      this.emit('held', req);
      await gate.promise;
    }
  }

  protected abstract handle(
    req: RecordedRequest,
    res: ServerResponse,
    raw: IncomingMessage,
  ): Promise<void> | void;

  private async dispatch(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const req = await recordRequest(raw);
    this.requests.push(req);
    res.on('close', () => {
      if (!res.writableFinished) {
        this.aborted.push(req);
        this.emit('abort', req);
      }
    });
    this.emit('request', req);
    try {
      await this.handle(req, res, raw);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: `fake crashed: ${String(error)}` });
      else res.destroy();
    }
  }
}
