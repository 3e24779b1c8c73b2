import { fakeImage } from './fake-image';
import { startMastodonFake, type MastodonFake } from './mastodon.fake';
import { readJson } from './spec-json';

describe('Mastodon fake, driven by fetch', () => {
  let fake: MastodonFake;
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { authorization: 'Bearer masto', ...headers } };
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
    form.append('file', new Blob([await fakeImage(16, 16, 'jpeg')], { type: 'image/jpeg' }), 'a.jpg');
    form.append('description', 'alt text');
    return api('POST', '/api/v2/media', form);
  };

  beforeEach(async () => {
    fake = await startMastodonFake({ accessToken: 'masto', processingPolls: 2 });
  });
  afterEach(() => fake.close());

  it('processes media asynchronously: 202 url null, 206 polls, then 200 with a url that serves the bytes', async () => {
    const uploaded = await upload();
    expect([uploaded.status, uploaded.body.url, uploaded.body.description]).toEqual([202, null, 'alt text']);
    const id = uploaded.body.id;
    // attaching before processing ends is refused
    expect((await api('POST', '/api/v1/statuses', { status: 'early', media_ids: [id] })).status).toBe(422);
    expect((await api('GET', `/api/v1/media/${id}`)).status).toBe(206);
    expect((await api('GET', `/api/v1/media/${id}`)).status).toBe(206);
    const ready = await api('GET', `/api/v1/media/${id}`);
    expect(ready.status).toBe(200);
    const bytes = await (await fetch(ready.body.url)).arrayBuffer();
    expect(bytes.byteLength).toBe(fake.media.get(id)!.size);
  });

  it('honours Idempotency-Key: the same key returns the same status and posts once', async () => {
    fake.setProcessingPolls(0);
    const media = (await upload()).body;
    expect(media.url).not.toBeNull();
    const post = () =>
      api(
        'POST',
        '/api/v1/statuses',
        { status: 'hello', media_ids: [media.id], visibility: 'public' },
        { 'Idempotency-Key': 'post-42' },
      );
    const first = await post();
    const second = await post();
    expect(first.body.id).toBe(second.body.id);
    expect(first.body).toMatchObject({
      visibility: 'public',
      media_attachments: [{ id: media.id }],
      created_at: expect.any(String),
    });
    expect(fake.statuses).toHaveLength(1);
    fake.setCounts(first.body.id, { favourites_count: 5, reblogs_count: 2 });
    const read = await api('GET', `/api/v1/statuses/${first.body.id}`);
    expect(read.body).toMatchObject({ favourites_count: 5, reblogs_count: 2, replies_count: 0 });
  });

  it('accepts form-encoded statuses with media_ids[]', async () => {
    fake.setProcessingPolls(0);
    const media = (await upload()).body;
    const response = await fetch(`${fake.url}/api/v1/statuses`, {
      method: 'POST',
      headers: { authorization: 'Bearer masto' },
      body: new URLSearchParams([
        ['status', 'form'],
        ['media_ids[]', media.id],
      ]),
    });
    expect((await readJson(response)).media_attachments).toHaveLength(1);
  });

  it('creates the status then drops the connection; a retry with the key finds it', async () => {
    fake.hangNextStatus();
    const send = () =>
      api('POST', '/api/v1/statuses', { status: 'lost answer' }, { 'Idempotency-Key': 'k1' });
    await expect(send()).rejects.toThrow();
    expect((await send()).body.content).toBe('<p>lost answer</p>');
    expect(fake.statuses).toHaveLength(1);
  });

  it('verifies credentials and scripts 401 / 429 / 500', async () => {
    expect((await api('GET', '/api/v1/accounts/verify_credentials')).body.username).toBe('atelier');
    fake.failNext('unauthorized');
    expect((await api('GET', '/api/v1/accounts/verify_credentials')).status).toBe(401);
    fake.failNext('rate_limit', { path: '/api/v1/statuses' });
    const limited = await api('POST', '/api/v1/statuses', { status: 'x' });
    expect([limited.status, limited.headers.get('x-ratelimit-remaining')]).toEqual([429, '0']);
    fake.failNext('server_error');
    expect((await api('GET', '/api/v1/accounts/verify_credentials')).status).toBe(500);
    const wrong = await fetch(`${fake.url}/api/v1/accounts/verify_credentials`, {
      headers: { authorization: 'Bearer no' },
    });
    expect(wrong.status).toBe(401);
  });
});
