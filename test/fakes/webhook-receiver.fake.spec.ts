import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiverFake, type WebhookReceiverFake } from './webhook-receiver.fake';
import { readJson } from './spec-json';

describe('Webhook receiver fake, verifying Standard Webhooks signatures', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let fake: WebhookReceiverFake;

  beforeEach(async () => {
    fake = await startWebhookReceiverFake({ secret });
  });
  afterEach(() => fake.close());

  const deliver = (payload: object, signingSecret = secret, id = `msg_${randomBytes(6).toString('hex')}`) => {
    const body = JSON.stringify(payload);
    const timestamp = new Date();
    const signature = new Webhook(signingSecret).sign(id, timestamp, body);
    return fetch(fake.hookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });
  };

  it('verifies a signed delivery and answers {id, url}', async () => {
    const response = await deliver({ type: 'post.published', post: { id: 'p1' } }, secret, 'msg_1');
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ id: 'hook_1', url: `${fake.url}/posts/hook_1` });
    const delivery = await fake.waitForDelivery((d) => d.webhookId === 'msg_1');
    expect(delivery).toMatchObject({ verified: true, status: 200, json: { type: 'post.published' } });
  });

  it('records and refuses a delivery signed with another secret', async () => {
    const response = await deliver({ type: 'post.published' }, `whsec_${randomBytes(24).toString('base64')}`);
    expect(response.status).toBe(401);
    expect(fake.deliveries[0]).toMatchObject({ verified: false, status: 401 });
  });

  it('answers scripted statuses and can drop the connection', async () => {
    fake.respondNext(503, { error: 'down' });
    expect((await deliver({ n: 1 })).status).toBe(503);
    fake.dropNext();
    await expect(deliver({ n: 2 })).rejects.toThrow();
    expect((await deliver({ n: 3 })).status).toBe(200);
    expect(fake.deliveries.map((d) => [d.status, d.verified])).toEqual([
      [503, true],
      [0, true],
      [200, true],
    ]);
  });
});
