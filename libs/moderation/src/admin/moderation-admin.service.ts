import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { type Image, ImageErrorCode, ImageModerationService, ImagesService } from '@atelier/images';
import { ModerationAudit } from './moderation-audit.entity';
import type { OverrideVerdict } from './moderation-override.dto';

export interface ImageModeration {
  image: Image;
  history: ModerationAudit[];
}

const HISTORY_LIMIT = 100;

/** Administrators overrule the moderation driver; every decision leaves an audit row. */
@Injectable()
export class ModerationAdminService {
  private readonly logger = new Logger(ModerationAdminService.name);

  constructor(
    private readonly db: DataSource,
    private readonly images: ImagesService,
    private readonly imageModeration: ImageModerationService,
  ) {}

  /**
   * Sets the verdict whatever the current state (pending included: an admin may decide before or
   * instead of the driver). The images lib applies it (flagging unpublishes) and returns the state
   * it replaced, in the same transaction as the audit row.
   */
  async override(
    imageId: string,
    adminId: string,
    verdict: OverrideVerdict,
    reason?: string,
  ): Promise<ImageModeration> {
    await this.db.transaction(async (manager) => {
      const from = await this.imageModeration.overrule(manager, imageId, verdict);
      await manager.getRepository(ModerationAudit).insert({
        imageId,
        adminId,
        fromState: from,
        toState: verdict,
        reason: reason ?? null,
      });
      this.logger.log({ imageId, adminId, from, to: verdict }, 'Moderation overridden');
    });
    return this.describe(imageId);
  }

  async describe(imageId: string): Promise<ImageModeration> {
    const image = await this.images.find(imageId);
    if (!image) throw ProblemException.notFound(ImageErrorCode.NotFound, 'Image not found.');
    const history = await this.db.getRepository(ModerationAudit).find({
      where: { imageId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: HISTORY_LIMIT,
    });
    return { image, history };
  }
}
