import { Module } from '@nestjs/common';
import { ModerationModule } from './moderation.module';
import { ModerationProcessor } from './moderation.processor';

/** The `moderation` queue processor. */
@Module({ imports: [ModerationModule], providers: [ModerationProcessor] })
export class ModerationWorkerModule {}
