import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { ExternalServiceError, QueueName } from '@atelier/core';
import { ImageJob, ImageJobPayload } from '@atelier/images';
import { ModerationOutcome, ModerationService } from './moderation.service';

/**
 * `moderation` queue, job `moderate` (id `moderate:<imageId>`). Retryable driver errors propagate so
 * Bull retries with backoff; after the last attempt the image simply stays `pending` (not shareable).
 * A final error (the service cannot read this image, or refuses our credentials) fails the job at
 * once: retrying would only repeat the same answer. The image stays `pending` for an admin to decide.
 */
@Processor(QueueName.Moderation)
export class ModerationProcessor {
  private readonly logger = new Logger(ModerationProcessor.name);

  constructor(private readonly moderation: ModerationService) {}

  @Process(ImageJob.Moderate)
  async moderate(job: Job<ImageJobPayload>): Promise<ModerationOutcome> {
    try {
      return await this.moderation.moderateImage(job.data.imageId);
    } catch (error) {
      if (error instanceof ExternalServiceError && !error.retryable) {
        this.logger.warn(
          { imageId: job.data.imageId, kind: error.kind, code: error.code },
          `Moderation failed for good, image left pending: ${error.message}`,
        );
        job.discard();
      }
      throw error;
    }
  }
}
