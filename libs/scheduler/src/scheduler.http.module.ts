import { Module } from '@nestjs/common';
import { UsersModule } from '@atelier/users';
import { SocialAccountsController } from './accounts/social-accounts.controller';
import { PostAnalyticsController } from './analytics/post-analytics.controller';
import { PostsController } from './posts/posts.controller';
import { SchedulerModule } from './scheduler.module';
import { SchedulesController } from './schedules/schedules.controller';

@Module({
  imports: [SchedulerModule, UsersModule],
  controllers: [SocialAccountsController, PostsController, PostAnalyticsController, SchedulesController],
})
export class SchedulerHttpModule {}
