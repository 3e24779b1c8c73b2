import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface OutboundRequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  lookup: net.LookupFunction;
  /**
   * Keeps connections for the next request to the same origin. Only ever give one whose every
   * request uses the same `lookup`: a kept connection was judged by it when it was opened.
   */
  agent?: http.Agent;
  signal?: AbortSignal;
  /** Whole-exchange deadline: connect, send and read the answer. */
  timeoutMs: number;
  /** An answer longer than this fails the request instead of being buffered. */
  maxResponseBytes: number;
}

/** A transport failure, telling whether the request may have reached the receiver. */
export class OutboundRequestError extends Error {
  constructor(
    readonly requestSent: boolean,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'OutboundRequestError';
  }
}

/**
 * One request with node:http(s) so the connection uses our own `lookup`: the SSRF guard judges the
 * addresses actually dialled (DNS may change after the URL was checked), which global fetch does not
 * allow without an undici dispatcher. Redirects are never followed (node:http does not): a 3xx is
 * returned as an answer like any other, so a public host cannot bounce us to an internal one.
 */
export function sendOutbound(url: URL, options: OutboundRequestOptions): Promise<OutboundResponse> {
  const client = url.protocol === 'https:' ? https : http;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  return new Promise((resolve, reject) => {
    let sent = false;
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body) headers['content-length'] = options.body.length;
    const request = client.request(
      url,
      { method: options.method, headers, lookup: options.lookup, signal, agent: options.agent ?? false },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxResponseBytes) {
            request.destroy(new Error(`answer larger than ${options.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', (error) => reject(new OutboundRequestError(true, error)));
      },
    );
    // Once the connection is up (TLS included) the request is written at once, so from then on it may
    // have arrived; a kept-alive connection is up already.
    const connectedEvent = url.protocol === 'https:' ? 'secureConnect' : 'connect';
    request.on('socket', (socket) => {
      if (socket.pending) socket.once(connectedEvent, () => (sent = true));
      else sent = true;
    });
    request.on('error', (error) => {
      // Tell a timeout from the caller's cancel the way fetch does: the deadline's reason is a TimeoutError.
      const cause = deadline.aborted && !options.signal?.aborted ? deadline.reason : error;
      reject(new OutboundRequestError(sent, cause));
    });
    request.end(options.body);
  });
}
