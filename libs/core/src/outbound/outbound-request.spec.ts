import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { OutboundRequestError, sendOutbound } from './outbound-request';
import { publicOnlyLookup, UnsafeUrlError } from './public-address';

describe('sendOutbound', () => {
  let server: Server;
  let base: string;
  let behaviour: 'answer' | 'drop' | 'redirect' | 'flood' | 'stall' = 'answer';
  let redirectTargetHits = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/internal') redirectTargetHits += 1;
        if (behaviour === 'drop') return req.socket.destroy();
        if (behaviour === 'redirect') return res.writeHead(302, { location: '/internal' }).end();
        if (behaviour === 'flood') return res.end(Buffer.alloc(64 * 1024, 'x'));
        if (behaviour === 'stall') return;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'r1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = (lookup: LookupFunction = dns.lookup) => ({
    method: 'POST',
    headers: {},
    body: Buffer.from('{}'),
    lookup,
    timeoutMs: 5000,
    maxResponseBytes: 1024,
  });

  it('returns the status and body of the answer', async () => {
    behaviour = 'answer';
    const response = await sendOutbound(new URL(`${base}/hook`), options());
    expect(response).toMatchObject({ status: 200, body: Buffer.from('{"id":"r1"}') });
  });

  it('reports a connection dropped after sending as possibly delivered', async () => {
    behaviour = 'drop';
    const failure = await sendOutbound(new URL(`${base}/hook`), options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutboundRequestError);
    expect((failure as OutboundRequestError).requestSent).toBe(true);
  });

  it('reports a refused connection as never sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await sendOutbound(new URL(`http://127.0.0.1:${port}/`), options()).catch(
      (e: unknown) => e,
    );
    expect((failure as OutboundRequestError).requestSent).toBe(false);
  });

  it('refuses at connect time a host that resolves to a private address (DNS rebinding)', async () => {
    const rebinding = ((_host: string, _opts: unknown, callback: (e: null, a: dns.LookupAddress[]) => void) =>
      callback(null, [{ address: '10.1.2.3', family: 4 }])) as LookupFunction;
    const failure = await sendOutbound(
      new URL('http://rebind.example.test/hook'),
      options(publicOnlyLookup(false, rebinding)),
    ).catch((e: unknown) => e);
    expect((failure as OutboundRequestError).requestSent).toBe(false);
    expect((failure as OutboundRequestError).cause).toBeInstanceOf(UnsafeUrlError);
  });

  it('returns a redirect as the answer instead of following it', async () => {
    behaviour = 'redirect';
    redirectTargetHits = 0;
    const response = await sendOutbound(new URL(`${base}/hook`), options());
    expect(response.status).toBe(302);
    expect(redirectTargetHits).toBe(0);
  });

  it('fails an answer larger than the bound instead of buffering it', async () => {
    behaviour = 'flood';
    const failure = await sendOutbound(new URL(`${base}/hook`), options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutboundRequestError);
    expect((failure as Error).message).toMatch(/larger than 1024 bytes/);
  });

  it('gives up at the deadline with a TimeoutError', async () => {
    behaviour = 'stall';
    const failure = await sendOutbound(new URL(`${base}/hook`), { ...options(), timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(((failure as OutboundRequestError).cause as Error).name).toBe('TimeoutError');
  });
});
