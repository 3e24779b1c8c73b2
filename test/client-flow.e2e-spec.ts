import { startSmtpFake, tokenFromMail, type SmtpFake } from './fakes/smtp.fake';
import { startWebhookReceiverFake, type WebhookReceiverFake } from './fakes/webhook-receiver.fake';
import { connectJobSocket, createAtelierClient, memoryTokenStore } from '@atelier/client';
import { runClientFlow } from './support/client-flow';
import { imageBytes } from './support/images';
import { startTestApp, type TestApp } from './support/test-app';
import { createUser, fakeClientIp } from './support/users';

/** The main flow through the typed client (@atelier/client), every response checked by the contract. */
describe('typed client main flow', () => {
  let t: TestApp;
  let smtp: SmtpFake;
  let hooks: WebhookReceiverFake;

  beforeAll(async () => {
    [smtp, hooks] = await Promise.all([
      startSmtpFake(),
      startWebhookReceiverFake({
        secret: `whsec_${Buffer.from('placeholder-secret-0123456789').toString('base64')}`,
      }),
    ]);
    t = await startTestApp({ SMTP_URL: smtp.url, ALLOW_PRIVATE_WEBHOOKS: 'true' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([smtp.close(), hooks.close()]);
  });

  it('registers, generates, uploads, shares, files and schedules with no cast', async () => {
    const result = await runClientFlow({
      baseUrl: t.url,
      verificationToken: async (email) =>
        tokenFromMail(await smtp.waitForMail((mail) => mail.to.includes(email), 10_000)),
      webhookUrl: hooks.hookUrl,
      onWebhookSecret: (secret) => hooks.setSecret(secret),
      png: new Blob([await imageBytes('png', 32, 24)], { type: 'image/png' }),
      clientIp: fakeClientIp(),
    });

    const [image] = await t.db.query('SELECT folder_id, is_public FROM images WHERE id = $1', [
      result.uploadedImageId,
    ]);
    expect(image.folder_id).toBe(result.folderId);
    const [post] = await t.db.query('SELECT status, scheduled_at FROM posts WHERE id = $1', [result.postId]);
    expect(post.status).toBe('scheduled');
    expect(new Date(post.scheduled_at).toISOString()).toBe(result.postScheduledAt);
    expect(t.contract.violations).toEqual([]);
  });

  it('refreshes an expired access token once and retries the request', async () => {
    const user = await createUser(t);
    const tokens = memoryTokenStore({ accessToken: 'expired', refreshToken: user.refreshToken });
    const client = createAtelierClient({ baseUrl: t.url, tokens });

    const me = await client.GET('/api/v1/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.id).toBe(user.id);
    expect(tokens.get()?.refreshToken).not.toBe(user.refreshToken);

    tokens.set({ accessToken: 'expired', refreshToken: 'not-a-refresh-token' });
    const refused = await client.GET('/api/v1/me');
    expect(refused.response.status).toBe(401);
    expect(refused.error?.code).toBe('invalid_token');
    expect(tokens.get()).toBeUndefined();
  });

  it('opens the socket.io events channel with the access token', async () => {
    const user = await createUser(t);
    const socket = connectJobSocket(t.url, user.accessToken);
    try {
      const ready = await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ready event in 5 s')), 5000);
        socket.once('ready', (payload: unknown) => {
          clearTimeout(timer);
          resolve(payload);
        });
      });
      expect(ready).toEqual({ userId: user.id });
    } finally {
      socket.close();
    }
  });
});
