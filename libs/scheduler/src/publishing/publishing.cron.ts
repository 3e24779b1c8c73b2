import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { PostClaims } from './post-claims';
import { PublishQueue } from './publish-queue';
import { StuckPostsSweeper } from './stuck-posts.sweeper';

const BATCH = 500;

/**
 * Every 30 s: recovers posts stuck in `publishing` without a job, fails posts that are too late, and
 * enqueues the due ones. Safe to run in several workers at once: enqueueing is idempotent by job id,
 * and publishing and the recovery are guarded by conditional UPDATEs.
 */
@Injectable()
export class PublishingCron {
  private readonly logger = new Logger(PublishingCron.name);
  private running = false;

  constructor(
    private readonly claims: PostClaims,
    private readonly queue: PublishQueue,
    private readonly stuck: StuckPostsSweeper,
  ) {}

  @Interval('scheduler.publish-due-posts', 30_000)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.publishDuePosts();
    } catch (error) {
      this.logger.error(`Publishing tick failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }

  /** Returns the ids it enqueued (tests call this directly instead of waiting for the interval). */
  async publishDuePosts(): Promise<string[]> {
    // First, so that a post put back to `scheduled` is enqueued (or failed as missed) in this tick.
    await this.stuck.sweep();
    const missed = await this.claims.failMissed();
    if (missed.length) this.logger.warn(`${missed.length} post(s) missed their time and were failed`);
    const due = await this.claims.duePostIds(BATCH);
    for (const postId of due) await this.queue.enqueue(postId);
    return due;
  }
}
