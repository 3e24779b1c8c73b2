import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExternalServiceError, ProblemException } from '@atelier/core';
import { AccountSecrets } from '../accounts/account-secrets';
import { SocialAccountsService } from '../accounts/social-accounts.service';
import { Post } from '../posts/post.entity';
import { PostsService } from '../posts/posts.service';
import { PublisherRegistry } from '../publishers/publisher-registry';
import { SchedulerErrorCode } from '../scheduler.errors';
import { PostAnalytics } from './post-analytics.entity';

const SYNC_TIMEOUT_MS = 30_000;

/** Platform metrics of published posts: read on demand (sync) or by the analytics cron. */
@Injectable()
export class PostAnalyticsService {
  constructor(
    @InjectRepository(PostAnalytics) private readonly analytics: Repository<PostAnalytics>,
    @InjectRepository(Post) private readonly postsRepo: Repository<Post>,
    private readonly posts: PostsService,
    private readonly accounts: SocialAccountsService,
    private readonly secrets: AccountSecrets,
    private readonly publishers: PublisherRegistry,
  ) {}

  /** The latest snapshot, or null when none was fetched yet. */
  async latest(ownerId: string, postId: string): Promise<PostAnalytics | null> {
    await this.posts.findOwned(ownerId, postId);
    return this.analytics.findOneBy({ postId });
  }

  /** POST /posts/:id/analytics/sync: fetch now, answering problems the user can act on. */
  async syncOwned(ownerId: string, postId: string): Promise<PostAnalytics> {
    const post = await this.posts.findOwned(ownerId, postId);
    if (post.status !== 'published' || !post.externalId) {
      throw ProblemException.conflict(
        SchedulerErrorCode.AnalyticsUnsupported,
        'Only published posts have analytics.',
      );
    }
    try {
      return await this.sync(post);
    } catch (error) {
      if (!(error instanceof ExternalServiceError)) throw error;
      if (error.kind === 'auth') {
        throw ProblemException.conflict(
          SchedulerErrorCode.TokenExpired,
          `The platform refused the token: ${error.message}`,
        );
      }
      throw new ProblemException(HttpStatus.BAD_GATEWAY, 'platform_unavailable', error.message);
    }
  }

  /** Used by the analytics queue: loads the post by id (no owner scoping). */
  async syncById(postId: string): Promise<PostAnalytics | null> {
    const post = await this.postsRepo.findOne({ where: { id: postId }, relations: { socialAccount: true } });
    if (!post || post.status !== 'published' || !post.externalId) return null;
    if (!this.publishers.get(post.socialAccount!.platform).insights) return null;
    return this.sync(post);
  }

  private async sync(post: Post): Promise<PostAnalytics> {
    const account = post.socialAccount!;
    const publisher = this.publishers.get(account.platform);
    if (!publisher.insights) {
      throw ProblemException.conflict(
        SchedulerErrorCode.AnalyticsUnsupported,
        `Analytics are not available for ${account.platform} posts.`,
      );
    }
    try {
      const metrics = await publisher.insights(
        post,
        this.secrets.open(account),
        AbortSignal.timeout(SYNC_TIMEOUT_MS),
      );
      return await this.analytics.save(
        this.analytics.create({ postId: post.id, ...metrics, fetchedAt: new Date() }),
      );
    } catch (error) {
      if (error instanceof ExternalServiceError && error.kind === 'auth')
        await this.accounts.markExpired(account.id);
      throw error;
    }
  }
}
