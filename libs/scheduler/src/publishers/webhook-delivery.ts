import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

export interface DeliveryResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A transport failure of a delivery, telling whether the request may have reached the receiver. */
export class DeliveryError extends Error {
  constructor(
    readonly requestSent: boolean,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'DeliveryError';
  }
}

/**
 * POSTs a body with node:http(s) so the connection can use our own `lookup`: the SSRF guard must
 * judge the addresses actually dialled (DNS may change after the URL was checked), which global
 * fetch does not allow without an undici dispatcher.
 */
export function postDelivery(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { lookup: net.LookupFunction; signal: AbortSignal; timeoutMs: number; maxResponseBytes?: number },
): Promise<DeliveryResponse> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let sent = false;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        lookup: options.lookup,
        signal: options.signal,
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // The receiver's answer is only inspected for {id, url}; never buffer an unbounded reply.
          if (size <= (options.maxResponseBytes ?? 64 * 1024)) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) => reject(new DeliveryError(true, error)));
      },
    );
    // Once the connection is up (TLS included) the request is written at once, so from then on it may
    // have arrived. A reused keep-alive socket is already connected.
    const connectedEvent = url.protocol === 'https:' ? 'secureConnect' : 'connect';
    request.on('socket', (socket) => {
      if (!socket.connecting && !socket.destroyed && socket.remoteAddress) sent = true;
      else socket.once(connectedEvent, () => (sent = true));
    });
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('webhook timed out'), { name: 'TimeoutError' })),
    );
    request.on('error', (error) => reject(new DeliveryError(sent, error)));
    request.end(body);
  });
}
