import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { Image, ImageErrorCode } from '@atelier/images';
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

  constructor(private readonly db: DataSource) {}

  /**
   * Sets the verdict whatever the current state (pending included: an admin may decide before or
   * instead of the driver). The image row is locked so the audit's `from` is the state actually
   * replaced, even against a moderation job finishing at the same moment. Flagging also takes the
   * image out of the gallery; clearing it does not republish it (the owner shares again).
   */
  async override(
    imageId: string,
    adminId: string,
    verdict: OverrideVerdict,
    reason?: string,
  ): Promise<ImageModeration> {
    await this.db.transaction(async (manager) => {
      const image = await manager
        .getRepository(Image)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id = :imageId', { imageId })
        .getOne();
      if (!image) throw imageNotFound();
      await manager
        .getRepository(Image)
        .update(
          { id: imageId },
          verdict === 'flagged'
            ? { moderationState: verdict, isPublic: false, sharedAt: null }
            : { moderationState: verdict },
        );
      await manager.getRepository(ModerationAudit).insert({
        imageId,
        adminId,
        fromState: image.moderationState,
        toState: verdict,
        reason: reason ?? null,
      });
      this.logger.log(
        { imageId, adminId, from: image.moderationState, to: verdict },
        'Moderation overridden',
      );
    });
    return this.describe(imageId);
  }

  async describe(imageId: string): Promise<ImageModeration> {
    const image = await this.db.getRepository(Image).findOneBy({ id: imageId });
    if (!image) throw imageNotFound();
    const history = await this.db.getRepository(ModerationAudit).find({
      where: { imageId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: HISTORY_LIMIT,
    });
    return { image, history };
  }
}

const imageNotFound = () => ProblemException.notFound(ImageErrorCode.NotFound, 'Image not found.');
