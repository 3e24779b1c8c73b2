import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config';
import { ProblemException } from '../errors';
import { sendOutbound, type OutboundResponse } from './outbound-request';
import { assertPublicUrl, publicOnlyLookup, UnsafeUrlError } from './public-address';

export interface OutboundCall {
  method?: string;
  headers?: Record<string, string>;
  /** FormData and URLSearchParams are encoded as fetch would encode them (content-type included). */
  body?: string | Uint8Array | FormData | URLSearchParams;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/**
 * How long an idle connection is kept: below the usual server keep-alive timeouts (Node 5 s, nginx
 * 75 s), so we close it before the server does and a request is never written into a closing socket.
 */
const IDLE_CONNECTION_MS = 2000;

/**
 * The one HTTP client for addresses a user or an admin can set (webhook accounts, Mastodon instances,
 * job webhooks). Public addresses only, judged when the URL is saved (`checkUrl`) and again on the
 * addresses actually dialled; redirects are not followed; time and answer size are bounded.
 * `ALLOW_PRIVATE_WEBHOOKS` (tests, local setups) lifts the address rule for all of them.
 * Failures are `UnsafeUrlError` (refused address) or `OutboundRequestError` (transport).
 */
@Injectable()
export class OutboundHttp implements OnModuleDestroy {
  private readonly allowPrivate: boolean;
  private readonly lookup: net.LookupFunction;
  // Connections are kept per origin and reused: each was opened through `lookup`, so the address it
  // is connected to passed the public-address rule when it was dialled.
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  };

  constructor(config: ConfigService<Env, true>) {
    this.allowPrivate = config.get('ALLOW_PRIVATE_WEBHOOKS', { infer: true });
    this.lookup = publicOnlyLookup(this.allowPrivate);
  }

  onModuleDestroy(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  /** Parses and vets a user-supplied URL; resolves to the URL to store. */
  checkUrl(url: string): Promise<URL> {
    return assertPublicUrl(url, { allowPrivate: this.allowPrivate });
  }

  /**
   * `checkUrl` for a request field: a refused URL is a 400 problem naming the field, with `code`
   * and the refusal's reason. Resolves to the URL to store.
   */
  async checkField(field: string, url: string, code: string): Promise<string> {
    try {
      return (await this.checkUrl(url)).toString();
    } catch (error) {
      if (!(error instanceof UnsafeUrlError)) throw error;
      throw new ProblemException(HttpStatus.BAD_REQUEST, code, error.message, {
        errors: [{ field, message: error.message }],
        extensions: { reason: error.reason },
      });
    }
  }

  async request(url: string | URL, call: OutboundCall = {}): Promise<OutboundResponse> {
    const target = await this.checkUrl(url.toString());
    const headers = { ...call.headers };
    let body: Buffer | undefined;
    if (typeof call.body === 'string') body = Buffer.from(call.body);
    else if (call.body instanceof Uint8Array) body = Buffer.from(call.body);
    else if (call.body) {
      const encoded = new Request('http://encoder.invalid/', { method: 'POST', body: call.body });
      body = Buffer.from(await encoded.arrayBuffer());
      headers['content-type'] = encoded.headers.get('content-type') as string;
    }
    return sendOutbound(target, {
      method: call.method ?? 'GET',
      headers,
      body,
      lookup: this.lookup,
      agent: this.agents[target.protocol as 'http:' | 'https:'],
      signal: call.signal,
      timeoutMs: Math.min(call.timeoutMs ?? DEFAULT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
      maxResponseBytes: call.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    });
  }
}
