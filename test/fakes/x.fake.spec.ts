import { fakeImage } from './fake-image';
import { startXFake, type XFake } from './x.fake';
import { waitForEvent } from './wait-for';
import { readJson } from './spec-json';

describe('X API v2 fake, driven by fetch', () => {
  let fake: XFake;
  let token = 'x-access-0';
  const api = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(`${fake.url}${path}`, init);
    return { status: response.status, headers: response.headers, body: await readJson(response) };
  };
  const upload = async () => {
    const form = new FormData();
    form.append('media', new Blob([await fakeImage(16, 16)], { type: 'image/png' }), 'a.png');
    form.append('media_category', 'tweet_image');
    return (await api('POST', '/2/media/upload', form)).body.data.id as string;
  };

  beforeEach(async () => {
    token = 'x-access-0';
    fake = await startXFake({ accessToken: 'x-access-0', refreshToken: 'r0' });
  });
  afterEach(() => fake.close());

  it('uploads media and tweets it (201), refusing duplicate text', async () => {
    const mediaId = await upload();
    expect(fake.media[0]).toMatchObject({ id: mediaId, type: 'image/png', category: 'tweet_image' });
    const created = await api('POST', '/2/tweets', { text: 'hello', media: { media_ids: [mediaId] } });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.any(String),
      text: 'hello',
      edit_history_tweet_ids: [created.body.data.id],
    });
    const again = await api('POST', '/2/tweets', { text: 'hello' });
    expect([again.status, again.body.detail]).toEqual([403, expect.stringContaining('duplicate content')]);
    expect(fake.tweets).toHaveLength(1);
    expect((await api('GET', `/2/tweets/${created.body.data.id}`)).body.data.public_metrics.like_count).toBe(
      0,
    );
    expect((await api('GET', '/2/tweets/1')).body.errors[0].title).toBe('Not Found Error');
    expect((await api('GET', '/2/users/me')).body.data.username).toBe('atelier_test');
  });

  it('rejects text over 280 characters and unknown media ids', async () => {
    expect((await api('POST', '/2/tweets', { text: 'x'.repeat(281) })).status).toBe(400);
    expect((await api('POST', '/2/tweets', { text: 'a', media: { media_ids: ['999'] } })).status).toBe(400);
  });

  it('rotates refresh tokens: the old one stops working, the new access token works', async () => {
    const refresh = (refreshToken: string) =>
      fetch(`${fake.url}/2/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: 'cid',
        }),
      });
    fake.expireAccessTokens();
    expect((await api('GET', '/2/users/me')).status).toBe(401);
    const first = await readJson(await refresh('r0'));
    expect(first).toMatchObject({
      token_type: 'bearer',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect((await refresh('r0')).status).toBe(400);
    token = first.access_token;
    expect((await api('GET', '/2/users/me')).status).toBe(200);
    expect(fake.refreshToken).toBe(first.refresh_token);
  });

  it('scripts 429 with x-rate-limit-reset, 401 and 503', async () => {
    fake.failNext('rate_limit', { path: '/2/tweets', resetAt: 1_900_000_000 });
    const limited = await api('POST', '/2/tweets', { text: 'a' });
    expect([limited.status, limited.headers.get('x-rate-limit-reset')]).toEqual([429, '1900000000']);
    fake.failNext('unauthorized');
    expect((await api('GET', '/2/users/me')).status).toBe(401);
    fake.failNext('unavailable');
    expect((await api('GET', '/2/users/me')).status).toBe(503);
  });

  it('accepts a tweet then drops the connection (unknown outcome), the tweet exists', async () => {
    fake.hangNextTweet();
    const hung = waitForEvent(fake, 'tweet-hung');
    await expect(api('POST', '/2/tweets', { text: 'maybe posted' })).rejects.toThrow();
    await hung;
    expect(fake.tweets.map((t) => t.text)).toEqual(['maybe posted']);
    const recent = await api('GET', '/2/users/2244994945/tweets');
    expect(recent.body.data[0].text).toBe('maybe posted');
  });

  it('can leave the tweet request unanswered until the client gives up', async () => {
    fake.hangNextTweet({ mode: 'hang', create: false });
    const hung = waitForEvent(fake, 'tweet-hung');
    const pending = api('POST', '/2/tweets', { text: 'never' }).catch((e: unknown) => e);
    await hung;
    await fake.close(); // the fake closing is what ends it here; an app would time out
    expect(String(await pending)).toMatch(/fetch failed/); // undici's TypeError (another realm under Jest)
    expect(fake.tweets).toHaveLength(0);
  });
});
