import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Image, ImagesService } from '@atelier/images';
import type { ModerationDriver, ModerationResult } from './moderation-driver';

export const MODERATION_DRIVER = Symbol('MODERATION_DRIVER');

export type ModerationOutcome = { imageId: string; applied: boolean } & Partial<ModerationResult>;

/** Runs the configured driver on an image and records the verdict. */
@Injectable()
export class ModerationService {
  private readonly logger = new Logger(ModerationService.name);

  constructor(
    @Inject(MODERATION_DRIVER) private readonly driver: ModerationDriver,
    private readonly images: ImagesService,
    private readonly db: DataSource,
  ) {}

  get driverName(): string {
    return this.driver.name;
  }

  /** Moderates an image still `pending`; anything else (already decided, deleted) is left alone. */
  async moderateImage(imageId: string): Promise<ModerationOutcome> {
    const image = await this.db.getRepository(Image).findOneBy({ id: imageId });
    if (!image || image.moderationState !== 'pending') return { imageId, applied: false };
    const result = await this.driver.moderate(await this.images.readOriginal(image));
    const applied = await this.applyVerdict(imageId, result);
    if (result.verdict === 'flagged') {
      this.logger.log({ imageId, labels: result.labels.map((l) => l.name) }, 'Image flagged by moderation');
    }
    return { imageId, applied, ...result };
  }

  /**
   * Screens bytes that are not stored as an image, e.g. a source image before an edit or style
   * transfer is sent to a provider. Driver errors propagate, as in moderateImage.
   */
  screen(image: Buffer): Promise<ModerationResult> {
    return this.driver.moderate(image);
  }

  /**
   * Records a verdict on a `pending` image in one conditional UPDATE (a late duplicate job cannot
   * overwrite a decision). A flagged image is taken out of the gallery at the same time.
   */
  private async applyVerdict(imageId: string, result: ModerationResult): Promise<boolean> {
    const [, affected] = (await this.db.query(
      `UPDATE images SET moderation_state = $2, moderation_labels = $3::jsonb,
              is_public = CASE WHEN $2 = 'flagged' THEN false ELSE is_public END,
              shared_at = CASE WHEN $2 = 'flagged' THEN NULL ELSE shared_at END,
              updated_at = now()
        WHERE id = $1 AND moderation_state = 'pending'`,
      [imageId, result.verdict, JSON.stringify(result.labels)],
    )) as [unknown, number];
    return affected > 0;
  }
}
