import { rmSync } from 'node:fs';
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as IoServer } from 'socket.io';

/**
 * socket.io sessions in an api cluster. A long-polling session (and its upgrade to WebSocket)
 * lives in the process that answered its handshake, but the cluster hands each TCP connection to
 * any process, and clients reuse keep-alive connections for any request. So each process puts its
 * cluster id in the session ids it issues (`<id>.<random>`), listens on a private Unix socket, and
 * forwards a request or upgrade that names another process's session to that process's socket.
 * (Routing connections by their first request, as @socket.io/sticky does, fails as soon as a
 * reused connection carries another session: socketio/socket.io-sticky#8.)
 */
export class ClusterSocketSessions {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(
    private readonly workerId: number,
    private readonly primaryPid: number,
  ) {}

  /** Session ids that name this process. Call before the io server answers any handshake. */
  issueIds(io: IoServer): void {
    const generate = io.engine.generateId.bind(io.engine);
    io.engine.generateId = async (request) => `${this.workerId}.${await generate(request)}`;
  }

  /**
   * Wraps the HTTP server's request and upgrade listeners (Fastify's and engine.io's, attached by
   * now) so that other processes' sessions are forwarded, and opens this process's socket.
   */
  async attach(server: Server): Promise<void> {
    const onRequest = takeListeners(server, 'request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const owner = this.foreignOwner(req.url);
      if (owner === undefined) for (const listener of onRequest) listener.call(server, req, res);
      else this.forwardRequest(req, res, owner);
    });
    const onUpgrade = takeListeners(server, 'upgrade');
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const owner = this.foreignOwner(req.url);
      if (owner === undefined) for (const listener of onUpgrade) listener.call(server, req, socket, head);
      else this.forwardUpgrade(req, socket, head, owner);
    });

    // Forwarded requests enter this process's server as if they had arrived on its port.
    const path = this.socketPath(this.workerId);
    const inbound = createServer((req, res) => server.emit('request', req, res));
    inbound.on('upgrade', (req, socket, head) => server.emit('upgrade', req, socket, head));
    // Sibling processes keep their connections here open: closing an idle one could race a
    // request they are sending on it (the request would fail as a reset).
    inbound.keepAliveTimeout = 0;
    rmSync(path, { force: true });
    await new Promise<void>((done, fail) => {
      inbound.once('error', fail);
      // `exclusive`: this process's own socket, not one shared through the cluster's primary.
      inbound.listen({ path, exclusive: true }, done);
    });
    inbound.unref();
    server.once('close', () => inbound.close());
    process.once('exit', () => rmSync(path, { force: true }));
  }

  /** The cluster id in the `sid` of a socket.io request, when it is another process's. */
  private foreignOwner(url: string | undefined): number | undefined {
    if (!url || !url.startsWith('/socket.io/')) return undefined;
    const match = /[?&]sid=(\d+)\./.exec(url);
    const owner = match ? Number(match[1]) : undefined;
    return owner === this.workerId ? undefined : owner;
  }

  private socketPath(workerId: number): string {
    return join(tmpdir(), `atelier-api-${this.primaryPid}-${workerId}.sock`);
  }

  private forwardRequest(req: IncomingMessage, res: ServerResponse, owner: number): void {
    const upstream = request(
      {
        socketPath: this.socketPath(owner),
        agent: this.agent,
        method: req.method,
        path: req.url,
        // This hop's connection is the agent's to keep: a client's `Connection: close` passed on
        // would close it under the request's own last write (EPIPE, a lost message).
        headers: withoutHopByHop(req.headers),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
      },
    );
    // The owner has exited: its sessions are gone, as engine.io itself says of an unknown id.
    upstream.on('error', () => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 1, message: 'Session ID unknown' }));
    });
    // A long poll the client gave up on ends at the owner too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  private forwardUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, owner: number): void {
    const upstream = connect(this.socketPath(owner));
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', end).on('close', end);
    socket.on('error', end).on('close', end);
    upstream.once('connect', () => {
      upstream.write(requestHead(req));
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
  }
}

type Listener = (...args: unknown[]) => void;

function takeListeners(server: Server, event: 'request' | 'upgrade'): Listener[] {
  const listeners = server.listeners(event) as Listener[];
  server.removeAllListeners(event);
  return listeners;
}

/** Headers about the connection itself, which each hop sets anew. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

function withoutHopByHop(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** The request line and headers, as received, for a connection handed on byte for byte. */
function requestHead(req: IncomingMessage): string {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
