import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { QueueName } from '@atelier/core';
import { PostAnalyticsService } from './post-analytics.service';

export const SYNC_ANALYTICS_JOB = 'sync-post-analytics';

export interface SyncAnalyticsPayload {
  postId: string;
}

/** Fetches one post's metrics. Platform failures are thrown so Bull retries with backoff. */
@Processor(QueueName.Analytics)
export class AnalyticsSyncProcessor {
  constructor(private readonly analytics: PostAnalyticsService) {}

  @Process({ name: SYNC_ANALYTICS_JOB, concurrency: 2 })
  async sync(job: Job<SyncAnalyticsPayload>): Promise<void> {
    await this.analytics.syncById(job.data.postId);
  }
}
