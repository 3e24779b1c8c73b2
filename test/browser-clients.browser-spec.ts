import type { Browser, Page } from 'playwright-core';
import { ALL_QUEUES } from '../libs/core/src';
import { launchChromium } from './support/chromium';
import { imageBytes, upload } from './support/images';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, TestUser } from './support/users';
import { startWebOrigin, WebOrigin } from './support/web-origin';

// Non-loopback host names, mapped to 127.0.0.1 inside Chromium only: the API as a LAN box, the
// web client's own origin, and an origin CORS_ORIGINS does not list.
const API_HOST = 'atelier.test';
const WEB_HOST = 'web.test';
const STRANGER_HOST = 'stranger.test';
const DASHBOARD_PASSWORD = 'operator-secret';

/** What the page's own scripts saw; run inside the browser, so only plain data crosses over. */
interface CallOutcome {
  status: number;
  requestId: string | null;
}

describe('the API as a browser sees it', () => {
  let web: WebOrigin;
  let t: TestApp;
  let browser: Browser;
  let api: string;
  let user: TestUser;

  beforeAll(async () => {
    web = await startWebOrigin();
    t = await startTestApp({
      CORS_ORIGINS: `http://${WEB_HOST}:${web.port}`,
      QUEUE_DASHBOARD_PASSWORD: DASHBOARD_PASSWORD,
    });
    api = t.url.replace('127.0.0.1', API_HOST);
    browser = await launchChromium([API_HOST, WEB_HOST, STRANGER_HOST]);
    user = await createUser(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await web?.close();
  });

  async function openWebPage(host: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`http://${host}:${web.port}/`);
    return page;
  }

  it('a listed origin edits, favorites and unfavorites an image with a bearer token', async () => {
    const image = (await upload(t, user, await imageBytes('png')).expect(201)).body as { id: string };
    const page = await openWebPage(WEB_HOST);
    const outcomes = await page.evaluate(
      async ({ base, token, id }) => {
        const call = async (method: string, path: string, body?: unknown): Promise<CallOutcome> => {
          const res = await fetch(`${base}/api/v1${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
          });
          return { status: res.status, requestId: res.headers.get('x-request-id') };
        };
        return [
          await call('PATCH', `/images/${id}`, { title: 'Renamed in a browser' }),
          await call('PUT', `/images/${id}/favorite`),
          await call('DELETE', `/images/${id}/favorite`),
        ];
      },
      { base: api, token: user.accessToken, id: image.id },
    );
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    // x-request-id is only readable by the page because the API exposes it.
    for (const outcome of outcomes) expect(outcome.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await t.http.get(`/api/v1/images/${image.id}`).set(user.auth).expect(200);
    expect(stored.body).toMatchObject({ title: 'Renamed in a browser', favoritesCount: 0 });
    await page.close();
  });

  it('a listed origin opens a socket.io connection', async () => {
    const page = await openWebPage(WEB_HOST);
    const outcome = await page.evaluate(
      ({ base, token }) =>
        new Promise<string>((resolve) => {
          const socket = (globalThis as unknown as { io: typeof import('socket.io-client').io }).io(
            `${base}/events`,
            { auth: { token }, reconnection: false },
          );
          socket.on('connect', () => {
            resolve('connected');
            socket.close();
          });
          socket.on('connect_error', (error) => resolve(`connect_error: ${error.message}`));
        }),
      { base: api, token: user.accessToken },
    );
    expect(outcome).toBe('connected');
    await page.close();
  });

  it('an unlisted origin is refused: fetch rejects, socket.io gets connect_error', async () => {
    const page = await openWebPage(STRANGER_HOST);
    const outcome = await page.evaluate(
      async ({ base, token }) => {
        const fetched = await fetch(`${base}/api/v1/me`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ displayName: 'Not from here' }),
        }).then(
          (res) => `answered ${res.status}`,
          (error: Error) => `rejected: ${error.name}`,
        );
        const socketIo = await new Promise<string>((resolve) => {
          const socket = (globalThis as unknown as { io: typeof import('socket.io-client').io }).io(
            `${base}/events`,
            { auth: { token }, reconnection: false },
          );
          socket.on('connect', () => resolve('connected'));
          socket.on('connect_error', () => resolve('connect_error'));
        });
        return { fetched, socketIo };
      },
      { base: api, token: user.accessToken },
    );
    expect(outcome).toEqual({ fetched: 'rejected: TypeError', socketIo: 'connect_error' });
    await page.close();
  });

  it('Swagger UI renders its operations on a non-loopback host name over plain http', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${api}/docs`);
    await page.locator('.opblock-summary-path').first().waitFor({ state: 'visible' });
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.textContent));
    expect(paths).toContain('/api/v1/images/{id}');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the queue dashboard renders its queues on a non-loopback host name over plain http', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: DASHBOARD_PASSWORD },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${api}/admin/queues`);
    // The overview's cards appear once the dashboard's own API calls (same host) have answered.
    await page.locator('main a[href$="/queue/generation"]').waitFor({ state: 'visible' });
    const cards = await page.$$eval('main a[href*="/queue/"]', (links) => links.map((a) => a.textContent));
    expect(cards.sort()).toEqual([...ALL_QUEUES].sort());
    expect(errors).toEqual([]);
    await context.close();
  });
});
