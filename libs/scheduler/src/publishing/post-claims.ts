import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Env } from '@atelier/core';
import { Post } from '../posts/post.entity';

export type Claim =
  /** This delivery now owns the post and may send it. */
  | { kind: 'claimed'; post: Post }
  /** This delivery owned the post and was interrupted mid-attempt: the outcome must be reconciled. */
  | { kind: 'interrupted'; post: Post }
  /** Someone else owns it, or it is no longer due / publishable: nothing to do. */
  | { kind: 'none' };

/** A post found `publishing` for a long time, with the fields that tell whether it has moved since. */
export type StalePublishing = Pick<Post, 'id' | 'ownerId' | 'claimToken' | 'attempts' | 'awaitingRetry'>;

export interface PublishedOutcome {
  externalId: string;
  url?: string | null;
}

/**
 * The publishing state machine in conditional UPDATEs. Whoever changes `scheduled` → `publishing`
 * holds the post under its claim token; every later write names that token, so a late or duplicate
 * delivery (second worker, cron racing publish-now) changes nothing.
 *
 * Retries: Bull re-runs the same job (same token) after a retryable failure. The failed attempt
 * first sets `awaiting_retry` (it knows nothing was published), which is what lets the next run
 * reclaim the post. A run that finds its own claim without `awaiting_retry` knows the previous
 * run died mid-request (crash, stalled job) and reconciles instead of sending again.
 */
@Injectable()
export class PostClaims {
  private readonly maxLatenessMinutes: number;

  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    config: ConfigService<Env, true>,
  ) {
    this.maxLatenessMinutes = config.get('SCHEDULER_MAX_LATENESS_MINUTES', { infer: true });
  }

  async claim(postId: string, token: string): Promise<Claim> {
    const claimed = await this.posts
      .createQueryBuilder()
      .update(Post)
      .set(claimChanges(token))
      .where('id = :postId', { postId })
      .andWhere(
        `((status = 'scheduled' AND scheduled_at <= now() AND scheduled_at >= now() - make_interval(mins => :lateness))
          OR (status = 'publishing' AND claim_token = :token AND awaiting_retry))`,
        { token, lateness: this.maxLatenessMinutes },
      )
      .returning('id')
      .execute();
    const post = await this.load(postId);
    if (!post) return { kind: 'none' };
    if (claimed.affected) return { kind: 'claimed', post };
    if (post.status === 'publishing' && post.claimToken === token && !post.awaitingRetry) {
      return { kind: 'interrupted', post };
    }
    return { kind: 'none' };
  }

  /**
   * Claims up to `limit` due posts at once under `token`, oldest first, with their accounts. Workers
   * claim side by side: SKIP LOCKED hands each row to exactly one of them, the others take the next.
   * The caller sends them all straight away (a claimed post counts as possibly sent, as in `claim`).
   */
  async claimDue(limit: number, token: string): Promise<Post[]> {
    const due = this.posts
      .createQueryBuilder('due')
      .select('due.id')
      .where(`due.status = 'scheduled' AND due.scheduled_at <= now()`)
      .andWhere('due.scheduled_at >= now() - make_interval(mins => :lateness)')
      .orderBy('due.scheduled_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked');
    const claimed = await this.posts
      .createQueryBuilder()
      .update(Post)
      .set(claimChanges(token))
      .where(`id IN (${due.getQuery()}) AND status = 'scheduled'`)
      .setParameters({ lateness: this.maxLatenessMinutes })
      .returning('id')
      .execute();
    const ids = (claimed.raw as Array<{ id: string }>).map((row) => row.id);
    if (ids.length === 0) return [];
    return this.posts.find({
      where: { id: In(ids) },
      relations: { socialAccount: true },
      order: { scheduledAt: 'ASC' },
    });
  }

  /** After a retryable failure: nothing was published, the next run of this job may send again. */
  async releaseForRetry(post: Post, token: string, message: string): Promise<boolean> {
    const result = await this.posts.update(
      { id: post.id, status: 'publishing', claimToken: token },
      { awaitingRetry: true, errorMessage: message },
    );
    return Boolean(result.affected);
  }

  async markPublished(post: Post, token: string, outcome: PublishedOutcome): Promise<boolean> {
    const result = await this.posts.update(
      { id: post.id, status: 'publishing', claimToken: token },
      {
        status: 'published',
        externalId: outcome.externalId,
        externalUrl: outcome.url ?? null,
        publishedAt: new Date(),
        errorCode: null,
        errorMessage: null,
        awaitingRetry: false,
      },
    );
    return Boolean(result.affected);
  }

  async markFailed(post: Post, token: string, code: string, message: string): Promise<boolean> {
    const result = await this.posts.update(
      { id: post.id, status: 'publishing', claimToken: token },
      { status: 'failed', errorCode: code, errorMessage: message.slice(0, 2000), awaitingRetry: false },
    );
    return Boolean(result.affected);
  }

  /** Scheduled posts too late to publish (worker down longer than SCHEDULER_MAX_LATENESS_MINUTES). */
  async failMissed(): Promise<string[]> {
    const result = await this.posts
      .createQueryBuilder()
      .update(Post)
      .set({
        status: 'failed',
        errorCode: 'missed',
        errorMessage: `Not published within ${this.maxLatenessMinutes} minutes of its time; retry to publish it now.`,
      })
      .where(`status = 'scheduled' AND scheduled_at < now() - make_interval(mins => :lateness)`, {
        lateness: this.maxLatenessMinutes,
      })
      .returning('id')
      .execute();
    return (result.raw as Array<{ id: string }>).map((row) => row.id);
  }

  /** Posts `publishing` since longer than `minutes` (their delivery may be gone), oldest first. */
  stalePublishing(minutes: number, limit: number): Promise<StalePublishing[]> {
    return this.posts
      .createQueryBuilder('post')
      .select(['post.id', 'post.ownerId', 'post.claimToken', 'post.attempts', 'post.awaitingRetry'])
      .where(`post.status = 'publishing'`)
      .andWhere(`COALESCE(post.publishStartedAt, post.updatedAt) < now() - make_interval(mins => :minutes)`, {
        minutes,
      })
      .orderBy('post.publishStartedAt', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * A stale post whose delivery is gone and that never reached the platform goes back to
   * `scheduled` (the cron picks it up again, or fails it as missed when too late). Like every write
   * here it is conditional: a delivery that claimed or released the post meanwhile wins.
   */
  async requeueStale(stale: StalePublishing): Promise<boolean> {
    return this.updateStale(stale, { status: 'scheduled', claimToken: null, awaitingRetry: false });
  }

  /** A stale post whose delivery is gone mid-attempt: its outcome is unknown, the user decides. */
  async failStale(stale: StalePublishing, code: string, message: string): Promise<boolean> {
    return this.updateStale(stale, {
      status: 'failed',
      errorCode: code,
      errorMessage: message.slice(0, 2000),
    });
  }

  private async updateStale(
    stale: StalePublishing,
    changes: Partial<Pick<Post, 'status' | 'claimToken' | 'awaitingRetry' | 'errorCode' | 'errorMessage'>>,
  ): Promise<boolean> {
    const result = await this.posts
      .createQueryBuilder()
      .update(Post)
      .set(changes)
      .where(
        `id = :id AND status = 'publishing' AND attempts = :attempts AND awaiting_retry = :awaitingRetry`,
        {
          id: stale.id,
          attempts: stale.attempts,
          awaitingRetry: stale.awaitingRetry,
        },
      )
      .andWhere('claim_token IS NOT DISTINCT FROM :token', { token: stale.claimToken })
      .execute();
    return Boolean(result.affected);
  }

  private load(postId: string): Promise<Post | null> {
    return this.posts.findOne({ where: { id: postId }, relations: { socialAccount: true } });
  }
}

/** `scheduled` (or released for a retry) → `publishing` under `token`: one more attempt starts now. */
function claimChanges(token: string) {
  return {
    status: 'publishing' as const,
    claimToken: token,
    awaitingRetry: false,
    attempts: () => 'attempts + 1',
    publishStartedAt: () => 'now()',
  };
}
