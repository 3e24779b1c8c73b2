import { Module } from '@nestjs/common';
import { QueueJobs, QueueName } from '@atelier/core';
import { ImageJob } from '@atelier/images';
import { ModerationModule } from './moderation.module';
import { ModerationProcessor } from './moderation.processor';

/** The `moderation` queue processor. */
@Module({ imports: [ModerationModule], providers: [ModerationProcessor] })
export class ModerationWorkerModule {
  static readonly jobs: QueueJobs = { [QueueName.Moderation]: [ImageJob.Moderate] };
}
