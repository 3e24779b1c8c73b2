import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { FakeHttpServer, Script } from './fake-http-server';
import { sendJson, type RecordedRequest } from './recorded-request';
import { waitFor, type WaitOptions } from './wait-for';

/*
 * A user's webhook endpoint. Sources: providers.md § Webhook; the Standard Webhooks spec
 * (standardwebhooks.com: headers webhook-id / webhook-timestamp / webhook-signature
 * "v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>", secrets "whsec_<base64>", 5-minute
 * timestamp tolerance), verified with the reference `standardwebhooks` npm package over the raw
 * body. A receiver that cannot verify answers 401, as a careful endpoint would; 2xx means
 * delivered, and the body `{id, url}` is what the publisher may keep as the external post.
 */

export interface WebhookReceiverOptions {
  /** The per-account secret the app generated ("whsec_…"). */
  secret: string;
  /** Answer 401 to deliveries that fail verification (default true). */
  rejectInvalid?: boolean;
}

export interface WebhookDelivery {
  path: string;
  headers: RecordedRequest['headers'];
  webhookId?: string;
  body: string;
  json?: unknown;
  verified: boolean;
  verifyError?: string;
  /** What the receiver answered (0 when the connection was dropped). */
  status: number;
  receivedAt: Date;
}

type Scripted = { status: number; body?: unknown } | { drop: true };

export class WebhookReceiverFake extends FakeHttpServer {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly scripted = new Script<Scripted>();
  private secret: string;
  private counter = 0;

  constructor(private readonly options: WebhookReceiverOptions) {
    super();
    this.secret = options.secret;
  }

  /** The URL to register as the account's webhook. */
  get hookUrl(): string {
    return `${this.url}/hooks/atelier`;
  }

  setSecret(secret: string): void {
    this.secret = secret;
  }

  /** Answer the next delivery with this status and body (verification is still recorded). */
  respondNext(status: number, body?: unknown): void {
    this.scripted.push({ status, body });
  }

  /** Read the next delivery, then destroy the connection without answering (unknown outcome). */
  dropNext(): void {
    this.scripted.push({ drop: true });
  }

  waitForDelivery(predicate: (delivery: WebhookDelivery) => boolean = () => true, options?: WaitOptions) {
    return waitFor(this, 'delivery', () => this.deliveries.find(predicate), {
      description: 'a webhook delivery',
      ...options,
    });
  }

  protected handle(req: RecordedRequest, res: ServerResponse): void {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
    const body = req.body.toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(', ') : String(value),
      ]),
    );
    const delivery: WebhookDelivery = {
      path: req.path,
      headers: req.headers,
      webhookId: headers['webhook-id'],
      body,
      json: req.json,
      verified: false,
      status: 0,
      receivedAt: new Date(),
    };
    try {
      new Webhook(this.secret).verify(body, headers);
      delivery.verified = true;
    } catch (error) {
      delivery.verifyError = error instanceof Error ? error.message : String(error);
    }
    const scripted = this.scripted.take(req);
    const finish = (): void => {
      this.deliveries.push(delivery);
      this.emit('delivery', delivery);
    };
    if (scripted && 'drop' in scripted) {
      finish();
      res.socket?.destroy();
      return;
    }
    if (scripted) {
      delivery.status = scripted.status;
      finish();
      return sendJson(res, scripted.status, scripted.body ?? {});
    }
    if (!delivery.verified && this.options.rejectInvalid !== false) {
      delivery.status = 401;
      finish();
      return sendJson(res, 401, { error: `invalid signature: ${delivery.verifyError}` });
    }
    const id = `hook_${++this.counter}`;
    delivery.status = 200;
    finish();
    sendJson(res, 200, { id, url: `${this.url}/posts/${id}` });
  }
}

export async function startWebhookReceiverFake(
  options: WebhookReceiverOptions,
): Promise<WebhookReceiverFake> {
  return new WebhookReceiverFake(options).listen();
}
