import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StorageModule } from '@atelier/storage';
import { FoldersService } from './folders/folders.service';
import { GalleryService } from './gallery.service';
import { ImageContentService } from './image-content.service';
import { ImageIngestService } from './image-ingest.service';
import { ImageModerationService } from './image-moderation.service';
import { ImageStatsService } from './image-stats.service';
import { ImageUsageCounter } from './image-usage.counter';
import { ImagesAccountEraser } from './images-account-eraser';
import { IMAGES_ENTITIES } from './images.entities';
import { ImagesService } from './images.service';
import { ImageJobs } from './media/image-jobs';
import { ReactionsService } from './reactions.service';
import { SharingService } from './sharing.service';
import { TagsService } from './tags.service';

const SERVICES = [
  ImagesService,
  ImageIngestService,
  ImageModerationService,
  ImageContentService,
  ImageStatsService,
  ImageJobs,
  FoldersService,
  GalleryService,
  ReactionsService,
  SharingService,
  TagsService,
];

/** Images, folders, tags, favorites, ratings and the gallery (no transport). */
@Module({
  imports: [TypeOrmModule.forFeature(IMAGES_ENTITIES), StorageModule],
  providers: [...SERVICES, ImageUsageCounter, ImagesAccountEraser],
  exports: SERVICES,
})
export class ImagesModule {}
