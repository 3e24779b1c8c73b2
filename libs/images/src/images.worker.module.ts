import { Module } from '@nestjs/common';
import { QueueJobs, QueueName } from '@atelier/core';
import { ImagesModule } from './images.module';
import { ImageJob } from './media/image-jobs';
import { OrphanedObjects } from './media/orphaned-objects';
import { PurgeObjectsProcessor } from './media/purge-objects.processor';
import { ThumbnailProcessor } from './media/thumbnail.processor';

/** The `media` queue (thumbnails and object purges) and the daily sweep of objects a purge missed. */
@Module({
  imports: [ImagesModule],
  providers: [ThumbnailProcessor, PurgeObjectsProcessor, OrphanedObjects],
})
export class ImagesWorkerModule {
  static readonly jobs: QueueJobs = { [QueueName.Media]: [ImageJob.Thumbnail, ImageJob.PurgeObjects] };
}
