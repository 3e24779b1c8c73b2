import { Injectable } from '@nestjs/common';
import { type ErrorDialect, ExternalErrorCode } from '@atelier/core';
import type { Post } from '../posts/post.entity';
import { requireToken } from './credentials';
import type { AccountCredentials, PostMetrics, PublishContext, Publisher, PublishResult } from './publisher';
import { type PlatformClient, PlatformHttp, pollUntil, unexpectedAnswer } from './platform-http';

const SERVICE = 'mastodon';

/**
 * Mastodon answers `{"error": "…"}`: 401 for a bad token, 403 "outside the authorized scopes" for a
 * token without the scope (the user must reconnect), 422 for validation, and 429 with
 * `X-RateLimit-Reset` as an ISO time rather than epoch seconds.
 */
export const mastodonErrorDialect: ErrorDialect = ({ status, body, header, now }) => {
  if (status === 401) return { kind: 'auth', code: ExternalErrorCode.TokenExpired };
  if (status === 403 && /authorized scopes/i.test(String(body?.error ?? ''))) {
    return { kind: 'auth', code: ExternalErrorCode.ProviderAuth };
  }
  if (status === 422) return { kind: 'rejected', code: ExternalErrorCode.ProviderRejected };
  if (status !== 429) return undefined;
  const reset = Date.parse(header('x-ratelimit-reset') ?? '');
  return {
    kind: 'retryable',
    code: ExternalErrorCode.RateLimited,
    retryAfterMs: Number.isNaN(reset) ? undefined : Math.max(0, reset - now),
  };
};

interface MastodonStatusView {
  id: string;
  url?: string | null;
  favourites_count?: number;
  reblogs_count?: number;
  replies_count?: number;
}

/**
 * Mastodon (instance URL per account): upload the media (v2, processed asynchronously), then post
 * the status with `Idempotency-Key: <post id>`. The instance returns the first status for a repeated
 * key, so this publisher can safely re-send a publish whose answer was lost.
 */
@Injectable()
export class MastodonPublisher implements Publisher {
  readonly platform = SERVICE;
  readonly idempotentPublish = true;

  private readonly api: PlatformClient;

  constructor(http: PlatformHttp) {
    this.api = http.forPlatform(SERVICE, mastodonErrorDialect);
  }

  async verify(credentials: AccountCredentials, signal: AbortSignal) {
    const { body } = await this.api.request<{ id?: string; username?: string; display_name?: string }>(
      {
        userSuppliedUrl: true,
        url: this.url(credentials, '/api/v1/accounts/verify_credentials'),
        headers: this.auth(credentials),
      },
      signal,
    );
    if (!body?.id) throw unexpectedAnswer(SERVICE, 'verify_credentials answered without an id');
    return { externalId: body.id, displayName: body.display_name || `@${body.username ?? body.id}` };
  }

  async publish(
    { post, text, credentials, image }: PublishContext,
    signal: AbortSignal,
  ): Promise<PublishResult> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await image.bytes())], { type: image.mime }), 'image');
    if (image.title) form.append('description', image.title);
    const upload = await this.api.request<{ id?: string; url?: string | null }>(
      {
        userSuppliedUrl: true,
        url: this.url(credentials, '/api/v2/media'),
        method: 'POST',
        headers: this.auth(credentials),
        body: form,
      },
      signal,
    );
    const mediaId = upload.body?.id;
    if (!mediaId) throw unexpectedAnswer(SERVICE, 'media upload answered without an id');
    if (!upload.body?.url) {
      await pollUntil(
        SERVICE,
        async () => {
          const media = await this.api.request<{ url?: string | null }>(
            {
              userSuppliedUrl: true,
              url: this.url(credentials, `/api/v1/media/${mediaId}`),
              headers: this.auth(credentials),
            },
            signal,
          );
          return media.status === 200 && media.body?.url ? true : undefined;
        },
        signal,
      );
    }
    const status = await this.api.request<MastodonStatusView>(
      {
        userSuppliedUrl: true,
        url: this.url(credentials, '/api/v1/statuses'),
        method: 'POST',
        headers: { ...this.auth(credentials), 'idempotency-key': post.id },
        json: { status: text, media_ids: [mediaId], visibility: 'public' },
        createsPost: true,
      },
      signal,
    );
    if (!status.body?.id) throw unexpectedAnswer(SERVICE, 'status created without an id');
    return { externalId: status.body.id, url: status.body.url ?? null };
  }

  async insights(post: Post, credentials: AccountCredentials, signal: AbortSignal): Promise<PostMetrics> {
    const { body } = await this.api.request<MastodonStatusView>(
      {
        userSuppliedUrl: true,
        url: this.url(credentials, `/api/v1/statuses/${post.externalId}`),
        headers: this.auth(credentials),
      },
      signal,
    );
    return {
      likes: body?.favourites_count ?? null,
      comments: body?.replies_count ?? null,
      shares: body?.reblogs_count ?? null,
      impressions: null,
      reach: null,
    };
  }

  private url(credentials: AccountCredentials, path: string): string {
    const instance = credentials.account.instanceUrl;
    if (!instance) throw unexpectedAnswer(SERVICE, 'the account has no instance URL');
    return `${instance.replace(/\/+$/, '')}${path}`;
  }

  private auth(credentials: AccountCredentials): Record<string, string> {
    return { authorization: `Bearer ${requireToken(SERVICE, credentials)}` };
  }
}

/** Mastodon, as the platform registry lists it (platform-descriptors.ts). */
export const mastodonDescriptor = {
  name: SERVICE,
  implementation: MastodonPublisher,
  captions: { maxLength: 500, counting: 'urls-as-23' },
  connect: { kind: 'token', userUrl: 'instanceUrl' },
  errorDialect: mastodonErrorDialect,
} as const;
