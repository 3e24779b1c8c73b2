import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImagesModule } from '@atelier/images';
import { StorageModule } from '@atelier/storage';
import { PostAnalyticsService } from './analytics/post-analytics.service';
import { AccountSecrets } from './accounts/account-secrets';
import { SchedulerAccountEraser } from './accounts/scheduler-account-eraser';
import { SocialAccountsService } from './accounts/social-accounts.service';
import { TokenRefresher } from './accounts/token-refresher';
import { PostImages } from './posts/post-images';
import { PostStatsService } from './posts/post-stats.service';
import { PostsService } from './posts/posts.service';
import { GraphApi } from './publishers/graph-api';
import { PLATFORM_DESCRIPTORS } from './publishers/platform-descriptors';
import { PlatformHttp } from './publishers/platform-http';
import { PUBLISHERS } from './publishers/publisher';
import { PublisherRegistry } from './publishers/publisher-registry';
import { PostClaims } from './publishing/post-claims';
import { PostPublishingService } from './publishing/post-publishing.service';
import { PublishQueue } from './publishing/publish-queue';
import { ScheduleRunner } from './schedules/schedule-runner';
import { SchedulesService } from './schedules/schedules.service';
import { SCHEDULER_ENTITIES } from './scheduler.entities';

const PUBLISHER_CLASSES = PLATFORM_DESCRIPTORS.map((platform) => platform.implementation);

const repositories = TypeOrmModule.forFeature(SCHEDULER_ENTITIES);

/** Social accounts, posts, schedules, publishers and analytics (no transport). */
@Module({
  imports: [repositories, StorageModule, ImagesModule],
  providers: [
    AccountSecrets,
    PlatformHttp,
    GraphApi,
    ...PUBLISHER_CLASSES,
    { provide: PUBLISHERS, inject: PUBLISHER_CLASSES, useFactory: (...publishers: unknown[]) => publishers },
    PublisherRegistry,
    SocialAccountsService,
    TokenRefresher,
    PostImages,
    PostsService,
    PostStatsService,
    PublishQueue,
    PostClaims,
    PostPublishingService,
    SchedulesService,
    ScheduleRunner,
    PostAnalyticsService,
    SchedulerAccountEraser,
  ],
  exports: [
    repositories,
    AccountSecrets,
    PublisherRegistry,
    SocialAccountsService,
    PostImages,
    PostsService,
    PostStatsService,
    PublishQueue,
    PostClaims,
    PostPublishingService,
    SchedulesService,
    ScheduleRunner,
    PostAnalyticsService,
  ],
})
export class SchedulerModule {}
