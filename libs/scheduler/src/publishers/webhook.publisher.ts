import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Webhook } from 'standardwebhooks';
import {
  classifyHttpFailure,
  classifyNetworkFailure,
  ExternalErrorCode,
  ExternalServiceError,
  type Env,
} from '@atelier/core';
import { assertPublicUrl, publicOnlyLookup, UnsafeUrlError } from '../accounts/public-address';
import type { AccountCredentials, PublishContext, Publisher, PublishResult } from './publisher';
import { unexpectedAnswer } from './platform-http';
import { DeliveryError, postDelivery } from './webhook-delivery';

const SERVICE = 'webhook';

/**
 * Delivers a post to a URL the user owns as JSON signed per Standard Webhooks. The message id is
 * the post id, the same for every retry, so a receiver can deduplicate redeliveries.
 */
@Injectable()
export class WebhookPublisher implements Publisher {
  readonly platform = 'webhook' as const;
  private readonly allowPrivate: boolean;
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.allowPrivate = config.get('ALLOW_PRIVATE_WEBHOOKS', { infer: true });
    this.timeoutMs = Math.min(config.get('PROVIDER_TIMEOUT_SECONDS', { infer: true }), 30) * 1000;
  }

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
    };
    let response;
    try {
      response = await postDelivery(url, payload, headers, {
        lookup: publicOnlyLookup(this.allowPrivate),
        signal,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      const cause = error instanceof DeliveryError ? error.cause : error;
      if (cause instanceof UnsafeUrlError) throw unsafe(cause);
      throw classifyNetworkFailure(cause, {
        requestSent: error instanceof DeliveryError && error.requestSent,
        service: SERVICE,
        signal,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw classifyHttpFailure({
        status: response.status,
        headers: response.headers,
        body: response.body,
        service: SERVICE,
      });
    }
    const answer = parseAnswer(response.body);
    return { externalId: answer.id ?? post.id, url: answer.url ?? null };
  }

  private async safeUrl(credentials: AccountCredentials): Promise<URL> {
    const target = credentials.account.webhookUrl;
    if (!target) throw unexpectedAnswer(SERVICE, 'the account has no URL');
    try {
      return await assertPublicUrl(target, { allowPrivate: this.allowPrivate });
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw unsafe(error);
      throw error;
    }
  }
}

function unsafe(error: UnsafeUrlError): ExternalServiceError {
  return new ExternalServiceError({
    kind: 'rejected',
    code: ExternalErrorCode.ProviderRejected,
    service: SERVICE,
    message: `webhook: ${error.message}`,
    cause: error,
  });
}

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
