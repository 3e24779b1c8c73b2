import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { QueueName } from '@atelier/core';
import { StorageService } from '@atelier/storage';
import { Image } from '../entities/image.entity';
import { ImageJob, ImageJobPayload } from './image-jobs';

/** Removes the stored objects of a soft-deleted image (the row stays: jobs and posts refer to it). */
@Processor(QueueName.Media)
export class PurgeObjectsProcessor {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
  ) {}

  @Process(ImageJob.PurgeObjects)
  async purge(job: Job<ImageJobPayload>): Promise<{ deleted: string[] }> {
    const image = await this.db
      .getRepository(Image)
      .findOne({ where: { id: job.data.imageId }, withDeleted: true });
    if (!image?.deletedAt) return { deleted: [] };
    const keys = [image.originalKey, image.thumbnailKey].filter((k): k is string => Boolean(k));
    await Promise.all(keys.map((key) => this.storage.delete(key)));
    return { deleted: keys };
  }
}
