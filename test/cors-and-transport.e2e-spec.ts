import { io } from 'socket.io-client';
import { startTestApp, TestApp } from './support/test-app';

const LISTED = 'http://app.example.test';
const UNLISTED = 'http://elsewhere.example.test';

describe('CORS for the API and socket.io', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${LISTED},http://other.example.test` });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('preflights every method and header a client uses, for a listed origin', async () => {
    const res = await t.http
      .options('/api/v1/images/00000000-0000-4000-8000-000000000000/favorite')
      .set('origin', LISTED)
      .set('access-control-request-method', 'PUT')
      .set('access-control-request-headers', 'authorization,content-type,idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    const methods = res.headers['access-control-allow-methods'].split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']));
    const allowed = res.headers['access-control-allow-headers'].split(/,\s*/);
    expect(allowed).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'idempotency-key',
        'last-event-id',
        'prefer',
        'if-none-match',
      ]),
    );
  });

  it('lets scripts read location, retry-after, x-request-id, etag and preference-applied', async () => {
    const res = await t.http.get('/health/live').set('origin', LISTED).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(res.headers['access-control-expose-headers'].split(/,\s*/)).toEqual(
      expect.arrayContaining(['location', 'retry-after', 'x-request-id', 'etag', 'preference-applied']),
    );
  });

  it('gives an unlisted origin no CORS permission', async () => {
    const preflight = await t.http
      .options('/api/v1/me')
      .set('origin', UNLISTED)
      .set('access-control-request-method', 'PATCH');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await t.http.get('/health/live').set('origin', UNLISTED);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('applies CORS_ORIGINS to socket.io polling requests', async () => {
    const listed = await t.http.get('/socket.io/?EIO=4&transport=polling').set('origin', LISTED).expect(200);
    expect(listed.headers['access-control-allow-origin']).toBe(LISTED);
    const unlisted = await t.http.get('/socket.io/?EIO=4&transport=polling').set('origin', UNLISTED);
    expect(unlisted.status).toBe(403);
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a socket.io WebSocket handshake from an unlisted origin', async () => {
    const connectError = (origin: string) => {
      const socket = io(`${t.url}/events`, {
        transports: ['websocket'],
        extraHeaders: { origin },
        reconnection: false,
      });
      return new Promise<string>((resolve) => {
        socket.on('connect_error', (error) => resolve(error.message));
        // Reaching the namespace (even to be told the token is missing) means the origin passed.
        socket.on('connect', () => resolve('connected'));
        socket.on('unauthorized', () => resolve('connected'));
      }).finally(() => socket.close());
    };
    expect(await connectError(UNLISTED)).toBe('websocket error');
    expect(await connectError(LISTED)).not.toBe('websocket error');
  });
});

describe('security headers that fit the transport', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('over plain http: no upgrade-insecure-requests, no HSTS', async () => {
    const res = await t.http.get('/docs').redirects(1).expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('over https (X-Forwarded-Proto from a trusted proxy): both', async () => {
    const res = await t.http.get('/health/live').set('x-forwarded-proto', 'https').expect(200);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});

describe('X-Forwarded-Proto without TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is not believed: a plain http request stays plain http', async () => {
    const res = await t.http.get('/health/live').set('x-forwarded-proto', 'https').expect(200);
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
