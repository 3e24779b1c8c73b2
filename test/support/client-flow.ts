import { randomBytes } from 'node:crypto';
import { createAtelierClient, jobEvents } from '@atelier/client';

export interface ClientFlowOptions {
  /** The server's origin (`http://127.0.0.1:3000`). */
  baseUrl: string;
  /** The token of the verification mail sent to `email` (a mail fake, or the release mailbox). */
  verificationToken(email: string): Promise<string>;
  /** Where the webhook social account delivers (a receiver the caller runs). */
  webhookUrl: string;
  /** Hands the account's signing secret to that receiver. */
  onWebhookSecret?(secret: string): void;
  /** A PNG to upload. */
  png: Blob;
  /** Sent as X-Forwarded-For, so repeated runs stay under per-IP auth limits behind TRUST_PROXY. */
  clientIp?: string;
  /** The `fetch` to call through (the release stage's checks every answer against the document). */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface ClientFlowResult {
  userId: string;
  generatedImageId: string;
  uploadedImageId: string;
  folderId: string;
  socialAccountId: string;
  postId: string;
  postScheduledAt: string;
}

/**
 * The main flow as a web or mobile client runs it, through the typed client only (@atelier/client,
 * no casts): register → verify → login → generate (local provider) → follow the job → library →
 * multipart upload → share → gallery search → folders and tags → a webhook social account → a
 * scheduled post. Shared by the e2e suite and the release stage (which runs it on the built server).
 */
export async function runClientFlow(options: ClientFlowOptions): Promise<ClientFlowResult> {
  const client = createAtelierClient({
    baseUrl: options.baseUrl,
    fetch: options.clientIp ? withForwardedFor(options.clientIp, options.fetch ?? fetch) : options.fetch,
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const suffix = randomBytes(5).toString('hex');
  const email = `flow_${suffix}@example.test`;
  const password = `Pw-${randomBytes(9).toString('base64url')}`;

  const user = ok(
    await client.POST('/api/v1/auth/register', { body: { email, username: `flow_${suffix}`, password } }),
    'register',
  );
  const token = await options.verificationToken(email);
  ok(await client.POST('/api/v1/auth/verify-email', { body: { token } }), 'verify email');
  const tokens = ok(await client.POST('/api/v1/auth/login', { body: { login: email, password } }), 'login');
  client.tokens.set(tokens);

  const submitted = ok(
    await client.POST('/api/v1/jobs', {
      body: { type: 'generate', provider: 'local', prompt: `a lighthouse at dusk ${suffix}` },
    }),
    'generate',
  );
  for await (const event of jobEvents({ baseUrl: options.baseUrl, jobId: submitted.id, ...tokens })) {
    if (['completed', 'failed', 'cancelled'].includes(event.event)) break;
  }
  const job = ok(
    await client.GET('/api/v1/jobs/{id}', { params: { path: { id: submitted.id } } }),
    'poll the job',
  );
  const generatedImageId = job.resultImageIds[0];
  if (job.status !== 'succeeded' || !generatedImageId) throw new Error(`job ended ${job.status}`);

  const library = ok(await client.GET('/api/v1/images', { params: { query: { limit: 10 } } }), 'library');
  if (!library.items.some((image) => image.id === generatedImageId)) throw new Error('not in the library');

  const uploaded = ok(
    await client.POST('/api/v1/images', {
      body: { file: options.png, title: `Harbour ${suffix}`, tags: ['harbour'] },
      bodySerializer: toFormData,
    }),
    'upload',
  );

  ok(
    await client.POST('/api/v1/images/{id}/validate', {
      params: { path: { id: generatedImageId } },
      body: { action: 'validate' },
    }),
    'validate',
  );
  // Moderation runs in the background after ingest; a client retries the share until it clears.
  const shared = await poll(timeoutMs, async () => {
    const result = await client.POST('/api/v1/images/{id}/share', {
      params: { path: { id: generatedImageId } },
    });
    if (result.error?.code === 'moderation_blocked') return undefined;
    return ok(result, 'share');
  });
  if (!shared.isPublic) throw new Error('share did not publish');
  const gallery = ok(
    await client.GET('/api/v1/gallery', { params: { query: { q: suffix } } }),
    'gallery search',
  );
  if (!gallery.items.some((image) => image.id === generatedImageId)) throw new Error('not in the gallery');

  const folder = ok(await client.POST('/api/v1/folders', { body: { name: `Coast ${suffix}` } }), 'folder');
  ok(
    await client.PATCH('/api/v1/images/{id}', {
      params: { path: { id: uploaded.id } },
      body: { folderId: folder.id, tags: ['harbour', 'coast'] },
    }),
    'file the upload',
  );
  const tags = ok(await client.GET('/api/v1/tags'), 'tags');
  if (!tags.items.some((tag) => tag.tag === 'coast')) throw new Error('tag missing');

  const account = ok(
    await client.POST('/api/v1/social-accounts', {
      body: { platform: 'webhook', webhookUrl: options.webhookUrl, displayName: 'My site' },
    }),
    'webhook account',
  );
  if (account.webhookSecret) options.onWebhookSecret?.(account.webhookSecret);
  const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
  const post = ok(
    await client.POST('/api/v1/posts', {
      body: { imageId: generatedImageId, socialAccountId: account.id, caption: 'At dusk', scheduledAt },
    }),
    'schedule a post',
  );

  return {
    userId: user.id,
    generatedImageId,
    uploadedImageId: uploaded.id,
    folderId: folder.id,
    socialAccountId: account.id,
    postId: post.id,
    postScheduledAt: post.scheduledAt,
  };
}

/** The data of a successful call, or an error naming the step and the server's problem. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
}

/** Calls `attempt` every 100 ms until it returns a value; rejects after `timeoutMs`. */
async function poll<T>(timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function toFormData(body: { file: Blob; title?: string; tags?: string[] }): FormData {
  const form = new FormData();
  form.append('file', body.file, 'upload.png');
  if (body.title) form.append('title', body.title);
  for (const tag of body.tags ?? []) form.append('tags', tag);
  return form;
}

function withForwardedFor(ip: string, send: typeof fetch): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    request.headers.set('x-forwarded-for', ip);
    return send(request);
  };
}
