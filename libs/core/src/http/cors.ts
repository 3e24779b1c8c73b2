import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';

/** Every method a route uses; OPTIONS for the preflight itself. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** What clients send: bearer tokens, JSON bodies, retries, SSE resumption, conditional GETs. */
const REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'last-event-id',
  'prefer',
  'if-none-match',
  'x-request-id',
];
/** Response headers scripts may read (a browser hides all but a safe few otherwise). */
const EXPOSED_HEADERS = ['location', 'retry-after', 'x-request-id', 'etag', 'preference-applied'];
/** Lets a browser reuse a preflight for ten minutes instead of one per PATCH/PUT/DELETE. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** `CORS_ORIGINS` as the origin option both @fastify/cors and socket.io's `cors` accept. */
function originOption(origins: readonly string[]): true | string[] {
  return origins.includes('*') ? true : [...origins];
}

/** The CORS options of the HTTP API (@fastify/cors, through `app.enableCors`). */
export function httpCorsOptions(origins: readonly string[]) {
  return {
    origin: originOption(origins),
    methods: METHODS,
    allowedHeaders: REQUEST_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  };
}

/**
 * socket.io with the HTTP API's origin rules. Its `cors` option only covers the long-polling
 * requests; a WebSocket upgrade is never preflighted, so `allowRequest` refuses a handshake from
 * an unlisted browser origin on either transport (clients outside browsers send no Origin).
 */
export class CorsIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly origins: readonly string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const allowAll = this.origins.includes('*');
    return super.createIOServer(port, {
      ...options,
      cors: { origin: originOption(this.origins), methods: ['GET', 'POST'], allowedHeaders: REQUEST_HEADERS },
      allowRequest: (request: IncomingMessage, callback: (error: string | null, ok: boolean) => void) => {
        const origin = request.headers.origin;
        callback(null, allowAll || origin === undefined || this.origins.includes(origin));
      },
    } as ServerOptions);
  }
}
