import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  OutboundHttp,
  OutboundRequestError,
  UnsafeUrlError,
} from '@atelier/core';
import type { AccountCredentials, PublishContext, Publisher, PublishResult } from './publisher';
import { refusedAddress, unexpectedAnswer } from './platform-http';

const SERVICE = 'webhook';

/**
 * Delivers a post to a URL the user owns as JSON signed per Standard Webhooks. The message id is
 * the post id, the same for every retry, so a receiver can deduplicate redeliveries.
 */
@Injectable()
export class WebhookPublisher implements Publisher {
  readonly platform = SERVICE;

  constructor(private readonly outbound: OutboundHttp) {}

  async verify(credentials: AccountCredentials) {
    const url = await this.safeUrl(credentials);
    return { externalId: url.toString(), displayName: credentials.account.displayName || url.host };
  }

  async publish(
    { post, text, credentials, image }: PublishContext,
    signal: AbortSignal,
  ): Promise<PublishResult> {
    const secret = credentials.webhookSecret;
    if (!secret) throw unexpectedAnswer(SERVICE, 'the account has no signing secret');
    const url = await this.safeUrl(credentials);
    const payload = JSON.stringify({
      type: 'post.published',
      timestamp: new Date().toISOString(),
      post: {
        id: post.id,
        caption: post.caption,
        hashtags: post.hashtags,
        text,
        scheduledAt: post.scheduledAt.toISOString(),
      },
      image: {
        id: post.imageId,
        url: await image.url(),
        mime: image.mime,
        title: image.title,
        prompt: image.prompt,
      },
    });
    const sentAt = new Date();
    const headers = {
      'webhook-id': post.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(post.id, sentAt, payload),
      'user-agent': 'Atelier-Webhooks/1',
      'content-type': 'application/json',
    };
    let response;
    try {
      // The receiver's answer is only inspected for {id, url}.
      response = await this.outbound.request(url, {
        method: 'POST',
        headers,
        body: payload,
        signal,
        maxResponseBytes: 64 * 1024,
      });
    } catch (error) {
      const cause = error instanceof OutboundRequestError ? error.cause : error;
      if (cause instanceof UnsafeUrlError) throw refusedAddress(SERVICE, cause);
      throw classifyNetworkFailure(cause, {
        requestSent: error instanceof OutboundRequestError && error.requestSent,
        service: SERVICE,
        signal,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw classifyHttpFailure({
        status: response.status,
        headers: response.headers,
        body: response.body.toString('utf8'),
        service: SERVICE,
      });
    }
    const answer = parseAnswer(response.body.toString('utf8'));
    return { externalId: answer.id ?? post.id, url: answer.url ?? null };
  }

  private async safeUrl(credentials: AccountCredentials): Promise<URL> {
    const target = credentials.account.webhookUrl;
    if (!target) throw unexpectedAnswer(SERVICE, 'the account has no URL');
    try {
      return await this.outbound.checkUrl(target);
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw refusedAddress(SERVICE, error);
      throw error;
    }
  }
}

/** Signed webhooks (Standard Webhooks); failures are read without a dialect. */
export const webhookDescriptor = {
  name: SERVICE,
  implementation: WebhookPublisher,
  captions: { maxLength: 10_000, counting: 'characters' },
  connect: { kind: 'signedWebhook', userUrl: 'webhookUrl' },
} as const;

function parseAnswer(body: string): { id?: string; url?: string } {
  try {
    const parsed = JSON.parse(body) as { id?: unknown; url?: unknown };
    return {
      id: typeof parsed.id === 'string' || typeof parsed.id === 'number' ? String(parsed.id) : undefined,
      url: typeof parsed.url === 'string' && /^https?:\/\//.test(parsed.url) ? parsed.url : undefined,
    };
  } catch {
    return {};
  }
}
