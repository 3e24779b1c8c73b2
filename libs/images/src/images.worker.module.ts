import { Module } from '@nestjs/common';
import { QueueJobs, QueueName } from '@atelier/core';
import { ImagesModule } from './images.module';
import { ImageJob } from './media/image-jobs';
import { PurgeObjectsProcessor } from './media/purge-objects.processor';
import { ThumbnailProcessor } from './media/thumbnail.processor';

/** The `media` queue: thumbnails and object purges. */
@Module({
  imports: [ImagesModule],
  providers: [ThumbnailProcessor, PurgeObjectsProcessor],
})
export class ImagesWorkerModule {
  static readonly jobs: QueueJobs = { [QueueName.Media]: [ImageJob.Thumbnail, ImageJob.PurgeObjects] };
}
