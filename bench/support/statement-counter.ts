import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that counts the statements its clients send: simple-protocol
 * `Query` messages and extended-protocol `Execute` messages (node-postgres sends one per
 * parameterised query). Point a server's DATABASE_URL at `url` to count its SQL per request
 * exactly, from outside the process and without a server-side extension.
 */
export class StatementCounter {
  statements = 0;
  /** The database URL to give a server instead of the real one. */
  url = '';
  private server?: Server;

  static async start(databaseUrl: string): Promise<StatementCounter> {
    const target = new URL(databaseUrl);
    const counter = new StatementCounter();
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
      sockets.add(client).add(upstream);
      for (const s of [client, upstream]) s.on('close', () => sockets.delete(s)).on('error', () => undefined);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      upstream.pipe(client);
      client.on(
        'data',
        countMessages((type) => {
          if (type === 'Q' || type === 'E') counter.statements++;
        }),
      );
      client.pipe(upstream);
    });
    server.on('close', () => sockets.forEach((s) => s.destroy()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String((server.address() as { port: number }).port);
    counter.server = server;
    counter.url = url.toString();
    return counter;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * A parser of a frontend's byte stream: the untyped startup message (length first), then messages
 * of one type byte and a length that counts itself. Calls `onMessage` with each type byte.
 */
function countMessages(onMessage: (type: string) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const header = started ? 5 : 4;
      if (pending.length < header) return;
      const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
      if (pending.length < length) return;
      if (started) onMessage(String.fromCharCode(pending[0]));
      started = true;
      pending = pending.subarray(length);
    }
  };
}
