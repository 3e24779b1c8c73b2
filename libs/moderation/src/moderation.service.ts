import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Image, ImageModerationService, ImagesService } from '@atelier/images';
import { ModerationAudit } from './admin/moderation-audit.entity';
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
    private readonly imageModeration: ImageModerationService,
    private readonly db: DataSource,
  ) {}

  get driverName(): string {
    return this.driver.name;
  }

  /** Moderates an image still `pending`; anything else (already decided, deleted) is left alone. */
  async moderateImage(imageId: string): Promise<ModerationOutcome> {
    const image = await this.images.find(imageId);
    if (!image || image.moderationState !== 'pending') return { imageId, applied: false };
    const result = await this.driver.moderate(await this.images.readOriginal(image));
    const applied = await this.imageModeration.applyVerdict(imageId, result.verdict, result.labels);
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
   * Whether an administrator's latest decision on the image is the `safe` it is in now: that
   * outranks the driver, whose verdict would only repeat itself.
   */
  async clearedByAdmin(image: Pick<Image, 'id' | 'moderationState'>): Promise<boolean> {
    if (image.moderationState !== 'safe') return false;
    const latest = await this.db
      .getRepository(ModerationAudit)
      .findOne({ where: { imageId: image.id }, order: { createdAt: 'DESC', id: 'DESC' } });
    return latest?.toState === 'safe';
  }
}
