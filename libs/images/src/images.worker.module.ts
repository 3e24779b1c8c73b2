import { Module } from '@nestjs/common';
import { ImagesModule } from './images.module';
import { PurgeObjectsProcessor } from './media/purge-objects.processor';
import { ThumbnailProcessor } from './media/thumbnail.processor';

/** The `media` queue: thumbnails and object purges. */
@Module({
  imports: [ImagesModule],
  providers: [ThumbnailProcessor, PurgeObjectsProcessor],
})
export class ImagesWorkerModule {}
