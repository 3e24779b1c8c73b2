import { startSmtpFake, tokenFromMail, type SmtpFake } from './fakes/smtp.fake';
import { startWebhookReceiverFake, type WebhookReceiverFake } from './fakes/webhook-receiver.fake';
import { runClientFlow } from './support/client-flow';
import { imageBytes } from './support/images';
import { startTestApp, type TestApp } from './support/test-app';
import { fakeClientIp } from './support/users';

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
});
