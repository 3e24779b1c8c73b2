import { SocialAccount } from './accounts/social-account.entity';
import { PostAnalytics } from './analytics/post-analytics.entity';
import { Post } from './posts/post.entity';
import { ScheduleRun } from './schedules/schedule-run.entity';
import { Schedule } from './schedules/schedule.entity';

export const SCHEDULER_ENTITIES = [SocialAccount, Post, Schedule, ScheduleRun, PostAnalytics];
