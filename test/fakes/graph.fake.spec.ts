import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeImage } from './fake-image';
import { startGraphFake, type GraphFake } from './graph.fake';
import { readJson } from './spec-json';

describe('Graph API fake (Instagram + Facebook Page), driven by fetch', () => {
  let fake: GraphFake;
  const base = () => `${fake.url}/v21.0`;
  const call = async (
    method: string,
    path: string,
    init: { query?: Record<string, string>; body?: RequestInit['body']; json?: unknown } = {},
  ) => {
    const url = new URL(`${base()}${path}`);
    for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
    const response = await fetch(url, {
      method,
      headers: init.json ? { 'content-type': 'application/json' } : undefined,
      body: init.json ? JSON.stringify(init.json) : init.body,
    });
    return { status: response.status, headers: response.headers, body: await readJson(response) };
  };

  beforeEach(async () => {
    fake = await startGraphFake({ accessTokens: ['tok'], inProgressPolls: 2 });
  });
  afterEach(() => fake.close());

  it('publishes to Instagram: container, IN_PROGRESS polls, publish, permalink, insights', async () => {
    // urlencoded body
    const created = await call('POST', '/1789/media', {
      body: new URLSearchParams({
        image_url: 'https://cdn.example/a.jpg',
        caption: 'hello #art',
        access_token: 'tok',
      }),
    });
    const containerId = created.body.id;
    expect(created.status).toBe(200);
    const poll = () =>
      call('GET', `/${containerId}`, { query: { fields: 'status_code', access_token: 'tok' } });
    expect((await poll()).body).toEqual({ id: containerId, status_code: 'IN_PROGRESS' });
    expect((await poll()).body.status_code).toBe('IN_PROGRESS');
    expect((await poll()).body.status_code).toBe('FINISHED');

    // JSON body
    const published = await call('POST', '/1789/media_publish', {
      json: { creation_id: containerId, access_token: 'tok' },
    });
    const mediaId = published.body.id;
    expect(fake.published).toEqual([
      expect.objectContaining({ platform: 'instagram', id: mediaId, caption: 'hello #art' }),
    ]);
    // publishing the same container again does not make a second post
    expect(
      (await call('POST', '/1789/media_publish', { json: { creation_id: containerId, access_token: 'tok' } }))
        .status,
    ).toBe(400);
    expect(fake.published).toHaveLength(1);

    const permalink = await call('GET', `/${mediaId}`, {
      query: { fields: 'permalink', access_token: 'tok' },
    });
    expect(permalink.body.permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\//);
    fake.setInsights(mediaId, { reach: 42, likes: 3 });
    const insights = await call('GET', `/${mediaId}/insights`, {
      query: { metric: 'reach,likes', access_token: 'tok' },
    });
    expect(
      insights.body.data.map((m: { name: string; values: Array<{ value: number }> }) => [
        m.name,
        m.values[0].value,
      ]),
    ).toEqual([
      ['reach', 42],
      ['likes', 3],
    ]);
  });

  it('refuses to publish a container that is not FINISHED', async () => {
    const { body } = await call('POST', '/1789/media', {
      query: { image_url: 'https://x/a.jpg', access_token: 'tok' },
    });
    const early = await call('POST', '/1789/media_publish', {
      query: { creation_id: body.id, access_token: 'tok' },
    });
    expect(early.body.error).toMatchObject({ code: 9007, type: 'OAuthException' });
  });

  it('posts a Facebook Page photo by url and by multipart source', async () => {
    const byUrl = await call('POST', '/555/photos', {
      query: { url: 'https://x/a.jpg', caption: 'c', access_token: 'tok' },
    });
    expect(byUrl.body).toEqual({ id: expect.any(String), post_id: expect.stringMatching(/^555_\d+$/) });
    const form = new FormData();
    form.append('source', new Blob([await fakeImage(16, 16, 'jpeg')], { type: 'image/jpeg' }), 'a.jpg');
    form.append('caption', 'multipart');
    form.append('access_token', 'tok');
    const bySource = await call('POST', '/555/photos', { body: form });
    expect(bySource.status).toBe(200);
    expect(fake.published.map((p) => [p.platform, p.caption, p.sourceSize !== undefined])).toEqual([
      ['facebook', 'c', false],
      ['facebook', 'multipart', true],
    ]);
  });

  it('answers /me and shapes token and throttling errors like Graph', async () => {
    expect((await call('GET', '/me', { query: { access_token: 'tok' } })).body).toMatchObject({ id: '1000' });
    const bad = await call('GET', '/me', { query: { access_token: 'other' } });
    expect([bad.status, bad.body.error.code, bad.body.error.type]).toEqual([400, 190, 'OAuthException']);
    fake.expireToken('tok');
    expect((await call('GET', '/me', { query: { access_token: 'tok' } })).body.error.code).toBe(190);
  });

  it.each([4, 17, 32, 613])('scripts throttling code %i with x-app-usage', async (code) => {
    fake.failNext({ code, path: /\/media$/ });
    const me = await call('GET', '/me', { query: { access_token: 'tok' } }); // not matched: unaffected
    expect(me.status).toBe(200);
    const limited = await call('POST', '/1789/media', {
      query: { image_url: 'https://x/a.jpg', access_token: 'tok' },
    });
    expect(limited.body.error).toMatchObject({ code, is_transient: true, fbtrace_id: expect.any(String) });
    expect(JSON.parse(limited.headers.get('x-app-usage')!).call_count).toBe(100);
  });

  it('scripts a 500', async () => {
    fake.failNext({ code: 1 });
    const failed = await call('GET', '/me', { query: { access_token: 'tok' } });
    expect([failed.status, failed.body.error.code]).toEqual([500, 1]);
  });

  it('fetches image_url when asked and marks the container ERROR when it is unreachable', async () => {
    const strict = await startGraphFake({ fetchImageUrls: true });
    const image = await fakeImage(8, 8, 'jpeg');
    const host = createServer((req, res) =>
      req.url === '/ok.jpg'
        ? res.writeHead(200, { 'content-type': 'image/jpeg' }).end(image)
        : res.writeHead(404).end(),
    );
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      const status = async (imageUrl: string) => {
        const created = await readJson(
          await fetch(
            `${strict.url}/v21.0/1/media?image_url=${encodeURIComponent(imageUrl)}&access_token=t`,
            { method: 'POST' },
          ),
        );
        return (
          await readJson(await fetch(`${strict.url}/v21.0/${created.id}?fields=status_code&access_token=t`))
        ).status_code;
      };
      expect(await status(`${origin}/ok.jpg`)).toBe('FINISHED');
      expect(await status(`${origin}/missing.jpg`)).toBe('ERROR');
      expect([...strict.containers.values()][0].imageFetch).toMatchObject({
        status: 200,
        size: image.length,
      });
    } finally {
      host.close();
      await strict.close();
    }
  });
});
