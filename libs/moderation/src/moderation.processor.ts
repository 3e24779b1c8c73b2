import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { QueueName } from '@atelier/core';
import { ImageJob, ImageJobPayload } from '@atelier/images';
import { ModerationOutcome, ModerationService } from './moderation.service';

/**
 * `moderation` queue, job `moderate` (id `moderate:<imageId>`). Driver errors propagate so Bull
 * retries with backoff; after the last attempt the image simply stays `pending` (not shareable).
 */
@Processor(QueueName.Moderation)
export class ModerationProcessor {
  constructor(private readonly moderation: ModerationService) {}

  @Process(ImageJob.Moderate)
  moderate(job: Job<ImageJobPayload>): Promise<ModerationOutcome> {
    return this.moderation.moderateImage(job.data.imageId);
  }
}
