import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { Repository } from 'typeorm';
import { QueueName } from '@atelier/core';
import { Post } from '../posts/post.entity';
import { PublisherRegistry } from '../publishers/publisher-registry';
import { SYNC_ANALYTICS_JOB, type SyncAnalyticsPayload } from './analytics-sync.processor';

const RECENT_DAYS = 7;
const STALE_AFTER_MINUTES = 55;
const BATCH = 200;
/** Spreads one tick's jobs over time so a burst of posts does not hit platform rate limits at once. */
const SPACING_MS = 1000;

/**
 * Hourly: re-reads the metrics of posts published in the last week whose snapshot is older than an
 * hour. Job ids carry the hour, so several workers enqueue each sync once.
 */
@Injectable()
export class AnalyticsCron {
  private readonly logger = new Logger(AnalyticsCron.name);

  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectQueue(QueueName.Analytics) private readonly queue: Queue<SyncAnalyticsPayload>,
    private readonly publishers: PublisherRegistry,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'scheduler.sync-analytics' })
  async tick(): Promise<void> {
    try {
      await this.enqueueStaleAnalytics();
    } catch (error) {
      this.logger.error(`Analytics tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async enqueueStaleAnalytics(now = new Date()): Promise<string[]> {
    const platforms = this.publishers.withInsights();
    if (platforms.length === 0) return [];
    const rows = await this.posts
      .createQueryBuilder('post')
      .innerJoin('post.socialAccount', 'account')
      .leftJoin('post_analytics', 'analytics', 'analytics.post_id = post.id')
      .select('post.id', 'id')
      .where(`post.status = 'published'`)
      .andWhere('post.publishedAt >= :since', { since: new Date(now.getTime() - RECENT_DAYS * 86_400_000) })
      .andWhere(`account.status = 'active' AND account.platform IN (:...platforms)`, { platforms })
      .andWhere('(analytics.fetched_at IS NULL OR analytics.fetched_at < :stale)', {
        stale: new Date(now.getTime() - STALE_AFTER_MINUTES * 60_000),
      })
      .orderBy('post.publishedAt', 'DESC')
      .limit(BATCH)
      .getRawMany<{ id: string }>();
    const hour = now.toISOString().slice(0, 13);
    await Promise.all(
      rows.map(({ id }, index) =>
        this.queue.add(
          SYNC_ANALYTICS_JOB,
          { postId: id },
          {
            jobId: `analytics:${id}:${hour}`,
            delay: index * SPACING_MS,
            attempts: 3,
            backoff: { type: 'exponential', delay: 60_000 },
          },
        ),
      ),
    );
    return rows.map((r) => r.id);
  }
}
