import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { QueueName } from '@atelier/core';
import { imageObjectKey, StorageService } from '@atelier/storage';
import { Image } from '../entities/image.entity';
import { ImageJob, ImageJobPayload } from './image-jobs';
import { renderThumbnail } from './thumbnail';

/**
 * Makes the 512 px WebP thumbnail of an uploaded image and records dimensions and checksum of the
 * original (a job's results get theirs at ingest). Running twice writes the same key and the same
 * values, so duplicate deliveries are harmless.
 */
@Processor(QueueName.Media)
export class ThumbnailProcessor {
  private readonly logger = new Logger(ThumbnailProcessor.name);

  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
  ) {}

  @Process(ImageJob.Thumbnail)
  async makeThumbnail(job: Job<ImageJobPayload>): Promise<{ thumbnailKey: string } | null> {
    const image = await this.db.getRepository(Image).findOneBy({ id: job.data.imageId });
    if (!image) return null;
    const original = await this.storage.getBuffer(image.originalKey);
    const { width, height } = await sharp(original).metadata();
    const thumbnail = await renderThumbnail(original);
    const thumbnailKey = imageObjectKey(image.ownerId, image.id, 'thumbnail', 'webp');
    await this.storage.put(thumbnailKey, thumbnail, { contentType: 'image/webp' });
    const [, updated] = (await this.db.query(
      `UPDATE images SET thumbnail_key = $2, width = $3, height = $4, sha256 = $5, bytes = $6
        WHERE id = $1 AND deleted_at IS NULL`,
      [
        image.id,
        thumbnailKey,
        width,
        height,
        createHash('sha256').update(original).digest('hex'),
        original.length,
      ],
    )) as [unknown, number];
    if (updated === 0) {
      // Deleted while we worked: the purge job may already have run, so clean up after ourselves.
      await this.storage.delete(thumbnailKey);
      this.logger.debug({ imageId: image.id }, 'Image deleted during thumbnailing');
      return null;
    }
    return { thumbnailKey };
  }
}
