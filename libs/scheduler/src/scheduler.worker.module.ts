import { Module } from '@nestjs/common';
import { AnalyticsSyncProcessor } from './analytics/analytics-sync.processor';
import { AnalyticsCron } from './analytics/analytics.cron';
import { PublishPostProcessor } from './publishing/publish-post.processor';
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
export class SchedulerWorkerModule {}
