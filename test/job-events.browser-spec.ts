import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { submitJob, waitForJobEnd } from './support/jobs';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, type TestUser } from './support/users';

jest.setTimeout(60_000);

const EVENT_TYPES = [
  'queued',
  'started',
  'progress',
  'preview',
  'retrying',
  'completed',
  'failed',
  'cancelled',
];

/**
 * A browser's own EventSource on a finished job: it gets the replay once, reconnects with
 * Last-Event-ID when the stream ends (as the WHATWG rules say it must), receives 204 and stops.
 * At 1bcb13e it reconnected every ~3 s forever, each time given a synthetic empty `completed`.
 */
describe('Job events in a real EventSource', () => {
  let t: TestApp;
  let user: TestUser;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ FEATURES: 'images,processing' });
    user = await createUser(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('replays a finished job once, then stops on the 204 its reconnect receives', async () => {
    const submitted = await submitJob(t, user, {
      type: 'generate',
      prompt: 'once',
      params: { size: '64x64' },
    });
    const { events: recorded } = await waitForJobEnd(t, user, submitted.body.id);

    const page = await browser.newPage();
    await page.goto(`${t.url}/health/live`);
    const requests: Promise<{ status: number; lastEventId: string | null }>[] = [];
    page.on('response', (response) => {
      if (!response.url().includes('/events')) return;
      // allHeaders(): what went on the wire, including the Last-Event-ID the browser added.
      const sent = response.request().allHeaders();
      requests.push(
        sent.then((headers) => ({
          status: response.status(),
          lastEventId: headers['last-event-id'] ?? null,
        })),
      );
    });
    const url = `/api/v1/jobs/${submitted.body.id}/events?access_token=${encodeURIComponent(user.accessToken)}`;
    const seen = await page.evaluate(
      ({ url, types }) =>
        new Promise<{ type: string; id: string }[]>((resolve) => {
          const source = new EventSource(url);
          const received: { type: string; id: string }[] = [];
          for (const type of types) {
            source.addEventListener(type, (event) =>
              received.push({ type, id: (event as MessageEvent).lastEventId }),
            );
          }
          // An error while CONNECTING is a reconnect; CLOSED means the browser gave up for good.
          source.onerror = () => {
            if (source.readyState === EventSource.CLOSED) resolve(received);
          };
        }),
      { url, types: EVENT_TYPES },
    );

    expect(seen).toEqual(recorded.map((event) => ({ type: event.event, id: event.id })));
    expect(seen.filter((event) => event.type === 'completed')).toHaveLength(1);
    expect(await Promise.all(requests)).toEqual([
      { status: 200, lastEventId: null },
      { status: 204, lastEventId: recorded[recorded.length - 1].id },
    ]);
  });
});
