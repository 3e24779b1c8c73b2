import { Module } from '@nestjs/common';
import { QueueJobs, QueueName } from '@atelier/core';
import { AnalyticsSyncProcessor, SYNC_ANALYTICS_JOB } from './analytics/analytics-sync.processor';
import { AnalyticsCron } from './analytics/analytics.cron';
import { PublishPostProcessor } from './publishing/publish-post.processor';
import { PUBLISH_POST_JOB } from './publishing/publish-queue';
import { PublishingCron } from './publishing/publishing.cron';
import { StuckPostsSweeper } from './publishing/stuck-posts.sweeper';
import { SchedulerModule } from './scheduler.module';
import { SchedulesCron } from './schedules/schedules.cron';

@Module({
  imports: [SchedulerModule],
  providers: [
    PublishingCron,
    StuckPostsSweeper,
    PublishPostProcessor,
    SchedulesCron,
    AnalyticsCron,
    AnalyticsSyncProcessor,
  ],
})
export class SchedulerWorkerModule {
  static readonly jobs: QueueJobs = {
    [QueueName.Publishing]: [PUBLISH_POST_JOB],
    [QueueName.Analytics]: [SYNC_ANALYTICS_JOB],
  };
}
