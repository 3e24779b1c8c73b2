import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Env, type ErrorDialect, ExternalErrorCode } from '@atelier/core';
import type { Post } from '../posts/post.entity';
import { requireExternalId, requireToken } from './credentials';
import type {
  AccountCredentials,
  PostMetrics,
  PublishContext,
  Publisher,
  PublishResult,
  RefreshedTokens,
} from './publisher';
import { type PlatformClient, PlatformHttp, unexpectedAnswer } from './platform-http';

const SERVICE = 'x';

/**
 * X answers problem JSON (`{title, detail, type, status}`). Only a 401 is about the token: a 403 is
 * X refusing this tweet (duplicate text, policy) or this app (missing permission, client-forbidden),
 * and a new token changes neither — refreshing would only spend the single-use refresh token.
 */
export const xErrorDialect: ErrorDialect = ({ status, body }) => {
  if (status === 401) return { kind: 'auth', code: ExternalErrorCode.TokenExpired };
  if (status !== 403) return undefined;
  if (/duplicate content/i.test(String(body?.detail ?? ''))) {
    return { kind: 'rejected', code: ExternalErrorCode.DuplicateContent };
  }
  return { kind: 'rejected', code: ExternalErrorCode.PermissionDenied };
};

interface XTweetView {
  id: string;
  text: string;
  created_at?: string;
  public_metrics?: Record<string, number>;
}

/** X API v2 with an OAuth 2.0 user token: upload the image, then create the tweet that carries it. */
@Injectable()
export class XPublisher implements Publisher {
  readonly platform = SERVICE;
  private readonly api: PlatformClient;
  private readonly baseUrl: string;
  private readonly clientId: string | undefined;

  constructor(http: PlatformHttp, config: ConfigService<Env, true>) {
    this.api = http.forPlatform(SERVICE, xErrorDialect);
    this.baseUrl = config.get('X_API_URL', { infer: true }).replace(/\/+$/, '');
    this.clientId = config.get('X_CLIENT_ID', { infer: true });
  }

  async verify(credentials: AccountCredentials, signal: AbortSignal) {
    const { body } = await this.api.request<{ data?: { id: string; name?: string; username?: string } }>(
      { url: `${this.baseUrl}/2/users/me`, headers: this.auth(credentials) },
      signal,
    );
    if (!body?.data?.id) throw unexpectedAnswer(SERVICE, '/2/users/me answered without an id');
    const { id, name, username } = body.data;
    return { externalId: id, displayName: username ? `@${username}` : (name ?? id) };
  }

  async publish({ text, credentials, image }: PublishContext, signal: AbortSignal): Promise<PublishResult> {
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(await image.bytes())], { type: image.mime }), 'image');
    form.append('media_category', 'tweet_image');
    const upload = await this.api.request<{ data?: { id?: string } }>(
      {
        url: `${this.baseUrl}/2/media/upload`,
        method: 'POST',
        headers: this.auth(credentials),
        body: form,
      },
      signal,
    );
    const mediaId = upload.body?.data?.id;
    if (!mediaId) throw unexpectedAnswer(SERVICE, 'media upload answered without an id');
    const tweet = await this.api.request<{ data?: { id?: string } }>(
      {
        url: `${this.baseUrl}/2/tweets`,
        method: 'POST',
        headers: this.auth(credentials),
        json: { text, media: { media_ids: [mediaId] } },
        createsPost: true,
      },
      signal,
    );
    const id = tweet.body?.data?.id;
    if (!id) throw unexpectedAnswer(SERVICE, 'tweet created without an id');
    return { externalId: id, url: tweetUrl(id) };
  }

  /**
   * Looks for the tweet among the account's latest ones: X refuses duplicate text, so a tweet with
   * exactly our text created after the attempt began is ours.
   */
  async lookup(
    { text, credentials, post }: PublishContext,
    signal: AbortSignal,
  ): Promise<PublishResult | null> {
    const userId = requireExternalId(SERVICE, credentials);
    const query = new URLSearchParams({ max_results: '20', 'tweet.fields': 'created_at' });
    const { body } = await this.api.request<{ data?: XTweetView[] }>(
      {
        url: `${this.baseUrl}/2/users/${userId}/tweets?${query}`,
        headers: this.auth(credentials),
      },
      signal,
    );
    const since = post.publishStartedAt?.getTime() ?? 0;
    const found = (body?.data ?? []).find(
      (tweet) => tweet.text === text && (!tweet.created_at || Date.parse(tweet.created_at) >= since - 60_000),
    );
    return found ? { externalId: found.id, url: tweetUrl(found.id) } : null;
  }

  async insights(post: Post, credentials: AccountCredentials, signal: AbortSignal): Promise<PostMetrics> {
    const query = new URLSearchParams({ 'tweet.fields': 'public_metrics' });
    const { body } = await this.api.request<{ data?: XTweetView }>(
      {
        url: `${this.baseUrl}/2/tweets/${post.externalId}?${query}`,
        headers: this.auth(credentials),
      },
      signal,
    );
    const metrics = body?.data?.public_metrics;
    if (!metrics) throw unexpectedAnswer(SERVICE, `tweet ${post.externalId} not found`);
    return {
      likes: metrics.like_count ?? null,
      comments: metrics.reply_count ?? null,
      shares: (metrics.retweet_count ?? 0) + (metrics.quote_count ?? 0),
      impressions: metrics.impression_count ?? null,
      reach: null,
    };
  }

  /** OAuth 2.0 refresh (public client): X rotates refresh tokens, the one sent is spent once this answers. */
  async refreshTokens(credentials: AccountCredentials, signal: AbortSignal): Promise<RefreshedTokens> {
    if (!credentials.refreshToken) throw unexpectedAnswer(SERVICE, 'the account has no refresh token');
    const form: Record<string, string> = {
      grant_type: 'refresh_token',
      refresh_token: credentials.refreshToken,
    };
    if (this.clientId) form.client_id = this.clientId;
    const { body } = await this.api.request<{
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
    }>({ url: `${this.baseUrl}/2/oauth2/token`, method: 'POST', form }, signal);
    if (!body?.access_token)
      throw unexpectedAnswer(SERVICE, 'token refresh answered without an access token');
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? null,
      expiresAt: typeof body.expires_in === 'number' ? new Date(Date.now() + body.expires_in * 1000) : null,
    };
  }

  private auth(credentials: AccountCredentials): Record<string, string> {
    return { authorization: `Bearer ${requireToken(SERVICE, credentials)}` };
  }
}

/** X, as the platform registry lists it (platform-descriptors.ts). */
export const xDescriptor = {
  name: SERVICE,
  implementation: XPublisher,
  captions: { maxLength: 280, counting: 'x-weighted' },
  connect: { kind: 'token' },
  errorDialect: xErrorDialect,
} as const;

function tweetUrl(id: string): string {
  return `https://x.com/i/web/status/${id}`;
}
