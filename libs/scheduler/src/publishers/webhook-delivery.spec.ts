import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { publicOnlyLookup, UnsafeUrlError } from '../accounts/public-address';
import { DeliveryError, postDelivery } from './webhook-delivery';

describe('postDelivery', () => {
  let server: Server;
  let base: string;
  let behaviour: 'answer' | 'drop' = 'answer';

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (behaviour === 'drop') return req.socket.destroy();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'r1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = (lookup: LookupFunction = dns.lookup) => ({
    lookup,
    signal: new AbortController().signal,
    timeoutMs: 5000,
  });

  it('returns the status and body of the answer', async () => {
    behaviour = 'answer';
    const response = await postDelivery(new URL(`${base}/hook`), '{}', {}, options());
    expect(response).toMatchObject({ status: 200, body: '{"id":"r1"}' });
  });

  it('reports a connection dropped after sending as possibly delivered', async () => {
    behaviour = 'drop';
    const failure = await postDelivery(new URL(`${base}/hook`), '{}', {}, options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).requestSent).toBe(true);
  });

  it('reports a refused connection as never sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await postDelivery(new URL(`http://127.0.0.1:${port}/`), '{}', {}, options()).catch(
      (e: unknown) => e,
    );
    expect((failure as DeliveryError).requestSent).toBe(false);
  });

  it('refuses at connect time a host that resolves to a private address (DNS rebinding)', async () => {
    const rebinding = ((_host: string, _opts: unknown, callback: (e: null, a: dns.LookupAddress[]) => void) =>
      callback(null, [{ address: '10.1.2.3', family: 4 }])) as LookupFunction;
    const failure = await postDelivery(
      new URL('http://rebind.example.test/hook'),
      '{}',
      {},
      options(publicOnlyLookup(false, rebinding)),
    ).catch((e: unknown) => e);
    expect((failure as DeliveryError).requestSent).toBe(false);
    expect((failure as DeliveryError).cause).toBeInstanceOf(UnsafeUrlError);
  });
});
