import { fakeImage } from './fake-image';
import { startLinkedInFake, type LinkedInFake } from './linkedin.fake';
import { readJson } from './spec-json';

describe('LinkedIn fake, driven by fetch', () => {
  let fake: LinkedInFake;
  const headers = {
    authorization: 'Bearer li',
    'LinkedIn-Version': '202509',
    'X-Restli-Protocol-Version': '2.0.0',
  };
  const rest = (path: string, body: unknown, extra: Record<string, string> = headers) =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { ...extra, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const post = (mediaId?: string) => ({
    author: 'urn:li:person:abc123',
    commentary: 'New piece',
    visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    ...(mediaId ? { content: { media: { id: mediaId, altText: 'art' } } } : {}),
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
  });

  beforeEach(async () => {
    fake = await startLinkedInFake({ accessToken: 'li' });
  });
  afterEach(() => fake.close());

  it('initializes an upload, receives the PUT, then creates a post with the URN in x-restli-id', async () => {
    const init = await rest('/rest/images?action=initializeUpload', {
      initializeUploadRequest: { owner: 'urn:li:person:abc123' },
    });
    const { value } = await readJson(init);
    expect(value.image).toMatch(/^urn:li:image:/);
    expect(value.uploadUrl.startsWith(fake.url)).toBe(true);

    // posting before the upload is refused
    expect((await rest('/rest/posts', post(value.image))).status).toBe(422);

    const bytes = await fakeImage(20, 20, 'jpeg');
    const put = await fetch(value.uploadUrl, {
      method: 'PUT',
      headers: { authorization: 'Bearer li', 'content-type': 'image/jpeg' },
      body: bytes,
    });
    expect(put.status).toBe(201);
    expect(fake.images.get(value.image)?.uploaded).toEqual({ size: bytes.length, contentType: 'image/jpeg' });

    const status = await fetch(`${fake.url}/rest/images/${encodeURIComponent(value.image)}`, { headers });
    expect((await readJson(status)).status).toBe('AVAILABLE');

    const created = await rest('/rest/posts', post(value.image));
    expect(created.status).toBe(201);
    expect(created.headers.get('x-restli-id')).toMatch(/^urn:li:share:\d+$/);
    expect(fake.posts).toEqual([expect.objectContaining({ mediaId: value.image, commentary: 'New piece' })]);
  });

  it('requires LinkedIn-Version and X-Restli-Protocol-Version on /rest', async () => {
    const noVersion = await rest('/rest/posts', post(), {
      authorization: 'Bearer li',
      'X-Restli-Protocol-Version': '2.0.0',
    });
    expect([noVersion.status, (await readJson(noVersion)).code]).toEqual([400, 'VERSION_MISSING']);
    const noRestli = await rest('/rest/posts', post(), {
      authorization: 'Bearer li',
      'LinkedIn-Version': '202509',
    });
    expect(noRestli.status).toBe(400);
    expect(fake.posts).toHaveLength(0);
  });

  it('answers userinfo and scripts 401 / 429 / 500', async () => {
    const me = await readJson(await fetch(`${fake.url}/v2/userinfo`, { headers }));
    expect(me).toMatchObject({ sub: 'abc123', email_verified: true });
    fake.failNext('rate_limit', { path: '/rest/posts' });
    expect((await rest('/rest/posts', post())).status).toBe(429);
    fake.failNext('server_error');
    expect((await rest('/rest/posts', post())).status).toBe(500);
    const wrong = await rest('/rest/posts', post(), { ...headers, authorization: 'Bearer nope' });
    expect([wrong.status, (await readJson(wrong)).serviceErrorCode]).toEqual([401, 65600]);
    expect((await rest('/rest/posts', post())).status).toBe(201);
  });

  it('can create the post and drop the connection (unknown outcome)', async () => {
    fake.hangNextPost();
    await expect(rest('/rest/posts', post())).rejects.toThrow();
    expect(fake.posts).toHaveLength(1);
  });
});
