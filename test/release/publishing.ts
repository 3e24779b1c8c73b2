import {
  startWebhookReceiverFake,
  type WebhookDelivery,
  type WebhookReceiverFake,
} from '../fakes/webhook-receiver.fake';
import { expectStatus, type ApiClient } from './api-client';

/**
 * The publishing story over the API: a webhook account at a receiver of its own, the image
 * validated, a post, "publish now"; resolves with the delivery the receiver got (it checks the
 * signature with the account's secret).
 */
export async function publishToWebhook(me: ApiClient, imageId: string): Promise<WebhookDelivery> {
  const hooks = await startWebhookReceiverFake({ secret: PLACEHOLDER_SECRET });
  try {
    return await publishThrough(me, hooks, imageId);
  } finally {
    await hooks.close();
  }
}

async function publishThrough(
  me: ApiClient,
  hooks: WebhookReceiverFake,
  imageId: string,
): Promise<WebhookDelivery> {
  const account = expectStatus(
    await me.post('social-accounts', { platform: 'webhook', webhookUrl: hooks.hookUrl }),
    201,
    'webhook account',
  );
  hooks.setSecret(account.webhookSecret);
  expectStatus(await me.post(`images/${imageId}/validate`, { action: 'validate' }), 200, 'validate');
  const post = expectStatus(
    await me.post('posts', {
      imageId,
      socialAccountId: account.id,
      caption: 'Dawn',
      scheduledAt: inAnHour(),
    }),
    201,
    'post',
  );
  expectStatus(await me.post(`posts/${post.id}/publish-now`), 202, 'publish now');
  return hooks.waitForDelivery((d) => d.webhookId === post.id, { timeoutMs: 20_000 });
}

/** The receiver's secret until the account exists (the app generates the real one). */
const PLACEHOLDER_SECRET = `whsec_${Buffer.from('set when the account exists').toString('base64')}`;

/** Scheduled ahead, so "publish now" is what publishes it. */
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
