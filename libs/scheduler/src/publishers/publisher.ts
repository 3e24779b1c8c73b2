import type { Type } from '@nestjs/common';
import type { ErrorDialect } from '@atelier/core';
import type { SocialAccount } from '../accounts/social-account.entity';
import type { CaptionLimit } from '../posts/caption-limits';
import type { Post } from '../posts/post.entity';
import type { SocialPlatform } from './platform-descriptors';

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

/**
 * What creating an account asks for (social-accounts.service.ts):
 * - `token`: an access token (a refresh token where the platform has them), proved by `verify`;
 *   `userUrl: 'instanceUrl'` when each account lives on a server the user names (Mastodon);
 * - `signedWebhook`: a URL the user owns; the server makes a signing secret and shows it once.
 * Either URL is called on the user's behalf, so it goes through the outbound guard.
 */
export type ConnectForm =
  | { readonly kind: 'token'; readonly userUrl?: 'instanceUrl' }
  | { readonly kind: 'signedWebhook'; readonly userUrl: 'webhookUrl' };

/**
 * What a platform declares about itself, in its own file next to its publisher: the registry
 * (platform-descriptors.ts) lists these, one line each, and the platform list, caption limits
 * and connect rules are read from it.
 */
export interface PlatformDescriptor {
  readonly name: string;
  /** The class that talks to the platform; Nest constructs it with its dependencies. */
  readonly implementation: Type<Publisher>;
  /** What post text it accepts (caption-limits.ts measures captions against this). */
  readonly captions: CaptionLimit;
  readonly connect: ConnectForm;
  /** Its documented error bodies → the shared classes (its client reads failures with it). */
  readonly errorDialect?: ErrorDialect;
}

/** Nest injection token for the list of every publisher (see SchedulerModule). */
export const PUBLISHERS = Symbol('PUBLISHERS');
