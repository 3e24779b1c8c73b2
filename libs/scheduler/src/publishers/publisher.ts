import type { SocialAccount, SocialPlatform } from '../accounts/social-account.entity';
import type { Post } from '../posts/post.entity';

/** An account with its secrets decrypted, for the duration of one platform call. */
export interface AccountCredentials {
  account: SocialAccount;
  accessToken: string | null;
  refreshToken: string | null;
  webhookSecret: string | null;
}

/** The image being posted: bytes for platforms that take uploads, a signed URL for those that fetch. */
export interface PublishImage {
  mime: string;
  title: string | null;
  prompt: string | null;
  bytes(): Promise<Buffer>;
  url(): Promise<string>;
}

export interface PublishContext {
  post: Post;
  /** The text actually sent: caption plus hashtags (composeCaption). */
  text: string;
  credentials: AccountCredentials;
  image: PublishImage;
}

export interface PublishResult {
  externalId: string;
  url?: string | null;
}

export interface PostMetrics {
  likes: number | null;
  comments: number | null;
  shares: number | null;
  impressions: number | null;
  reach: number | null;
}

export interface RefreshedTokens {
  accessToken: string;
  /** The new refresh token when the platform rotates them (X does: the old one is now spent). */
  refreshToken: string | null;
  expiresAt: Date | null;
}

export interface VerifiedIdentity {
  externalId: string;
  displayName: string;
}

/**
 * One class per platform. Failures are thrown as ExternalServiceError (see PlatformHttp), so the
 * processor decides retry / fail / reconcile in one place.
 */
export interface Publisher {
  readonly platform: SocialPlatform;
  /**
   * True when the platform deduplicates a repeated publish request itself (Mastodon's
   * Idempotency-Key), so a publish whose answer was lost may simply be sent again.
   */
  readonly idempotentPublish?: boolean;
  /** The platform's "who am I": proves the credentials work and names the account. */
  verify(credentials: AccountCredentials, signal: AbortSignal): Promise<VerifiedIdentity>;
  publish(context: PublishContext, signal: AbortSignal): Promise<PublishResult>;
  /**
   * After an unknown outcome: finds the post on the platform if it was created (null when it was
   * not found). Publishers that cannot look posts up leave this out.
   */
  lookup?(context: PublishContext, signal: AbortSignal): Promise<PublishResult | null>;
  /** Exchanges the refresh token for a new access token (platforms with expiring OAuth tokens). */
  refreshTokens?(credentials: AccountCredentials, signal: AbortSignal): Promise<RefreshedTokens>;
  insights?(post: Post, credentials: AccountCredentials, signal: AbortSignal): Promise<PostMetrics>;
}

/** Nest injection token for the list of every publisher (see SchedulerModule). */
export const PUBLISHERS = Symbol('PUBLISHERS');
