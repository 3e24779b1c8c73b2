import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { PostClaims } from './post-claims';
import { PostPublishingService } from './post-publishing.service';
import { StuckPostsSweeper } from './stuck-posts.sweeper';

/**
 * Posts claimed and sent at once by one worker: enough to keep a fast receiver busy, few enough that
 * every claimed post is really in flight (a worker that dies leaves no claimed post unsent).
 */
const BATCH = 16;

/**
 * Every 30 s: recovers posts stuck in `publishing` without a job, fails posts that are too late, and
 * publishes the due ones, batch after batch until none is left. Safe to run in several workers at
 * once: each batch is claimed with SKIP LOCKED (every post goes to one worker), and every later
 * write is conditional on the claim.
 */
@Injectable()
export class PublishingCron implements OnModuleDestroy {
  private readonly logger = new Logger(PublishingCron.name);
  private readonly shutdown = new AbortController();
  private running = false;

  constructor(
    private readonly claims: PostClaims,
    private readonly publishing: PostPublishingService,
    private readonly stuck: StuckPostsSweeper,
  ) {}

  onModuleDestroy(): void {
    // Attempts cut off here go on as retry jobs (or are settled by the sweeper), as in PublishPostProcessor.
    this.shutdown.abort();
  }

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

  /** Returns the ids it claimed, once they are sent (tests call this instead of waiting for the interval). */
  async publishDuePosts(): Promise<string[]> {
    // First, so that a post put back to `scheduled` is published (or failed as missed) in this tick.
    await this.stuck.sweep();
    const missed = await this.claims.failMissed();
    if (missed.length) this.logger.warn(`${missed.length} post(s) missed their time and were failed`);
    const published: string[] = [];
    while (!this.shutdown.signal.aborted) {
      const batch = await this.publishing.publishDue(BATCH, this.shutdown.signal);
      if (batch.length === 0) break;
      published.push(...batch);
    }
    return published;
  }
}
