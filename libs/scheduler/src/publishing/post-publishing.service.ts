import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventBus, ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import type { Image } from '@atelier/images';
import { AccountSecrets } from '../accounts/account-secrets';
import { SocialAccountsService } from '../accounts/social-accounts.service';
import { TokenRefresher } from '../accounts/token-refresher';
import { composeCaption } from '../posts/caption-limits';
import { PostImages } from '../posts/post-images';
import type { Post } from '../posts/post.entity';
import type { PublishContext, Publisher } from '../publishers/publisher';
import { PublisherRegistry } from '../publishers/publisher-registry';
import { SchedulerErrorCode } from '../scheduler.errors';
import { type Claim, PostClaims, type PublishedOutcome } from './post-claims';
import { PublishQueue } from './publish-queue';

export interface PublishRun {
  postId: string;
  /** Identifies the delivery (constant across retries of one Bull job). */
  claimToken: string;
  /** No retry follows this run: a retryable failure becomes final. */
  lastAttempt: boolean;
  signal: AbortSignal;
}

export type PublishRunResult = 'published' | 'failed' | 'skipped';

/**
 * One publishing attempt of one post: claim, re-check, send, record. Retryable failures are thrown
 * back (the queue retries with backoff); everything else ends the post in a final state here.
 */
@Injectable()
export class PostPublishingService {
  private readonly logger = new Logger(PostPublishingService.name);

  constructor(
    private readonly claims: PostClaims,
    private readonly images: PostImages,
    private readonly secrets: AccountSecrets,
    private readonly accounts: SocialAccountsService,
    private readonly tokens: TokenRefresher,
    private readonly publishers: PublisherRegistry,
    private readonly events: EventBus,
    private readonly queue: PublishQueue,
  ) {}

  async run(run: PublishRun): Promise<PublishRunResult> {
    const claim = await this.claims.claim(run.postId, run.claimToken);
    if (claim.kind === 'none') return 'skipped';
    return this.attempt(claim, await this.images.findForPublishing(claim.post.imageId), run);
  }

  /**
   * The cron's path: claims up to `limit` due posts at once and sends them side by side in this
   * process, with no queue round trip per post. A post whose first attempt throws (released for a
   * retry, or cut off) goes on as a publishing job under the same claim; see PublishQueue.enqueueRetry.
   * Resolves to the ids it claimed, once every attempt has ended.
   */
  async publishDue(limit: number, signal: AbortSignal): Promise<string[]> {
    const claimToken = `due:${randomUUID()}`;
    const posts = await this.claims.claimDue(limit, claimToken);
    if (posts.length === 0) return [];
    const images = await this.images.findManyForPublishing(posts.map((post) => post.imageId));
    await Promise.all(
      posts.map(async (post) => {
        const run = { postId: post.id, claimToken, lastAttempt: false, signal };
        try {
          await this.attempt({ kind: 'claimed', post }, images.get(post.imageId) ?? null, run);
        } catch (error) {
          await this.queue.enqueueRetry(post.id, claimToken, error).catch((lost: Error) =>
            // The post stays `publishing`: StuckPostsSweeper settles it once no job can.
            this.logger.error(`Post ${post.id}: its retry could not be queued: ${lost.message}`),
          );
        }
      }),
    );
    return posts.map((post) => post.id);
  }

  /** One attempt on a claimed post: re-check, send, record (or throw a retryable failure). */
  private async attempt(
    claim: Exclude<Claim, { kind: 'none' }>,
    image: Image | null,
    run: PublishRun,
  ): Promise<PublishRunResult> {
    const { post } = claim;
    const account = post.socialAccount!;
    const fail = (code: string, message: string) => this.fail(post, run, code, message);

    if (account.status !== 'active') {
      const code =
        account.status === 'expired' ? SchedulerErrorCode.TokenExpired : SchedulerErrorCode.AccountNotActive;
      return fail(code, `The social account is ${account.status}.`);
    }
    // Moderation or validation may have changed since the post was created.
    const refusal = this.images.refusal(image);
    if (refusal) return fail(refusal.code, refusal.message);

    const publisher = this.publishers.get(account.platform);
    const context: PublishContext = {
      post,
      text: composeCaption(post.caption, post.hashtags),
      credentials: this.secrets.open(account),
      image: this.images.asPublishImage(image!),
    };
    if (claim.kind === 'interrupted' && !publisher.idempotentPublish) {
      return this.reconcile(publisher, context, run, 'the previous attempt was interrupted mid-request');
    }
    try {
      return await this.succeed(post, run, await this.publishRefreshingToken(publisher, context, run.signal));
    } catch (error) {
      return this.handleFailure(publisher, context, run, error);
    }
  }

  /** An expired OAuth token is refused before anything is created, so after a refresh the publish is sent again. */
  private publishRefreshingToken(publisher: Publisher, context: PublishContext, signal: AbortSignal) {
    return this.tokens.callRefreshing(publisher, context.credentials, signal, (credentials) => {
      context.credentials = credentials;
      return publisher.publish(context, signal);
    });
  }

  private async handleFailure(
    publisher: Publisher,
    context: PublishContext,
    run: PublishRun,
    error: unknown,
  ): Promise<PublishRunResult> {
    const { post } = context;
    // Unclassified errors come from our side (reading the image…) before anything reaches the platform.
    const failure =
      error instanceof ExternalServiceError
        ? error
        : new ExternalServiceError({
            kind: 'retryable',
            code: ExternalErrorCode.ProviderUnavailable,
            service: post.socialAccount!.platform,
            message: error instanceof Error ? error.message : String(error),
            cause: error,
          });
    switch (failure.kind) {
      case 'auth':
        await this.accounts.markExpired(post.socialAccountId);
        return this.fail(post, run, SchedulerErrorCode.TokenExpired, failure.message);
      case 'rejected':
        return this.fail(post, run, rejectionCode(failure), failure.message);
      case 'unknown_outcome':
        if (!publisher.idempotentPublish) return this.reconcile(publisher, context, run, failure.message);
        // The platform deduplicates a repeated publish (Mastodon Idempotency-Key): retrying is safe.
        return this.retryLater(post, run, failure);
      case 'retryable':
        return this.retryLater(post, run, failure);
    }
  }

  private async retryLater(
    post: Post,
    run: PublishRun,
    failure: ExternalServiceError,
  ): Promise<PublishRunResult> {
    if (run.lastAttempt) return this.fail(post, run, SchedulerErrorCode.PublishUnavailable, failure.message);
    if (!(await this.claims.releaseForRetry(post, run.claimToken, failure.message))) return 'skipped';
    this.logger.warn(`Post ${post.id}: ${failure.message}; retrying`);
    throw failure;
  }

  /** The request may have created the post: look it up where the platform allows, never re-send blindly. */
  private async reconcile(
    publisher: Publisher,
    context: PublishContext,
    run: PublishRun,
    reason: string,
  ): Promise<PublishRunResult> {
    const { post } = context;
    if (publisher.lookup) {
      try {
        const found = await publisher.lookup(context, run.signal);
        if (found) return this.succeed(post, run, found);
        reason = `${reason}; the post was not found on ${publisher.platform}`;
      } catch (error) {
        reason = `${reason}; looking it up failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return this.fail(
      post,
      run,
      SchedulerErrorCode.OutcomeUnknown,
      `Publishing may or may not have succeeded (${reason}). Check ${publisher.platform}, then retry if it is missing.`,
    );
  }

  private async succeed(post: Post, run: PublishRun, outcome: PublishedOutcome): Promise<PublishRunResult> {
    if (!(await this.claims.markPublished(post, run.claimToken, outcome))) return 'skipped';
    await this.notify(post, 'post.published');
    return 'published';
  }

  private async fail(post: Post, run: PublishRun, code: string, message: string): Promise<PublishRunResult> {
    if (!(await this.claims.markFailed(post, run.claimToken, code, message))) return 'skipped';
    this.logger.warn(`Post ${post.id} failed (${code}): ${message}`);
    await this.notify(post, 'post.failed');
    return 'failed';
  }

  private async notify(post: Post, type: string): Promise<void> {
    // Live updates are a convenience: the row is the truth, so a Redis hiccup must not fail the job.
    await this.events.publish(`user.${post.ownerId}`, { type, postId: post.id }).catch(() => undefined);
  }
}

/** The post's error code for a refusal: the platform's own reason when it gave one users can act on. */
function rejectionCode(failure: ExternalServiceError): string {
  return SPECIFIC_REJECTIONS.has(failure.code) ? failure.code : SchedulerErrorCode.PublishRejected;
}

const SPECIFIC_REJECTIONS = new Set<string>([
  ExternalErrorCode.DuplicateContent,
  ExternalErrorCode.PermissionDenied,
  ExternalErrorCode.ContentPolicy,
]);
