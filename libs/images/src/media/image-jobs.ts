import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@atelier/core';

/** Job names on the `media` and `moderation` queues; each payload carries the image id only. */
export const ImageJob = {
  /** media: thumbnail + dimensions + checksum. */
  Thumbnail: 'thumbnail',
  /** media: delete the stored objects of a soft-deleted image. */
  PurgeObjects: 'purge-objects',
  /** moderation: run the configured moderation driver (processor in @atelier/moderation). */
  Moderate: 'moderate',
} as const;

export interface ImageJobPayload {
  imageId: string;
}

/** Deterministic Bull job ids, so enqueueing twice is harmless and tests can await a job. */
export const imageJobId = {
  thumbnail: (imageId: string) => `thumbnail:${imageId}`,
  purge: (imageId: string) => `purge:${imageId}`,
  moderate: (imageId: string) => `moderate:${imageId}`,
};

@Injectable()
export class ImageJobs {
  constructor(
    @InjectQueue(QueueName.Media) private readonly media: Queue<ImageJobPayload>,
    @InjectQueue(QueueName.Moderation) private readonly moderation: Queue<ImageJobPayload>,
  ) {}

  /**
   * After a new image is stored: its thumbnail (unless ingest made it) and (when a driver is
   * configured) moderation, in parallel.
   */
  async processNewImage(imageId: string, options: { thumbnail: boolean; moderate: boolean }): Promise<void> {
    await Promise.all([
      options.thumbnail &&
        this.media.add(ImageJob.Thumbnail, { imageId }, { jobId: imageJobId.thumbnail(imageId) }),
      options.moderate &&
        this.moderation.add(ImageJob.Moderate, { imageId }, { jobId: imageJobId.moderate(imageId) }),
    ]);
  }

  async purgeObjects(imageId: string): Promise<void> {
    await this.media.add(ImageJob.PurgeObjects, { imageId }, { jobId: imageJobId.purge(imageId) });
  }
}
