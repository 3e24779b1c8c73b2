import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

export interface WebOrigin {
  port: number;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><title>web client</title><script src="/socket.io.js"></script>';

/**
 * A loopback static server standing in for a web client's own origin: an empty page that loads
 * the socket.io browser client from the package's dist bundle. Tests drive the page's `fetch` and
 * `io` with `page.evaluate`, so every request really is cross-origin.
 */
export async function startWebOrigin(): Promise<WebOrigin> {
  const socketIoClient = readFileSync(require.resolve('socket.io-client/dist/socket.io.js'));
  const server = createServer((request, response) => {
    if (request.url === '/socket.io.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(socketIoClient);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
