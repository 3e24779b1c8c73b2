import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ProblemException } from '@atelier/core';
import { Image, type ModerationLabel, type ModerationState } from './entities/image.entity';
import { ImageErrorCode } from './images.errors';

/** A moderation decision: anything but `pending`. */
export type ModerationDecision = Exclude<ModerationState, 'pending'>;

/**
 * Where moderation decisions land on images, for the moderation lib (its driver and its
 * administrators): the images lib keeps the row and the rule of what a decision does to it.
 */
@Injectable()
export class ImageModerationService {
  constructor(private readonly db: DataSource) {}

  /**
   * Records a driver's verdict on an image still `pending`, in one conditional UPDATE (a late
   * duplicate job cannot overwrite a decision). Returns whether it was recorded.
   */
  async applyVerdict(
    imageId: string,
    verdict: ModerationDecision,
    labels: ModerationLabel[],
  ): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(Image)
      .set({ ...decisionChanges(verdict), moderationLabels: labels })
      .where("id = :imageId AND moderation_state = 'pending'", { imageId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * An administrator's decision, whatever the current state, inside the caller's transaction (which
   * records the audit). The row is locked so the state returned is the one actually replaced, even
   * against a moderation job finishing at the same moment. 404 `image_not_found` for a missing or
   * deleted image.
   */
  async overrule(
    manager: EntityManager,
    imageId: string,
    verdict: ModerationDecision,
  ): Promise<ModerationState> {
    const images = manager.getRepository(Image);
    const image = await images
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id = :imageId', { imageId })
      .getOne();
    if (!image) throw ProblemException.notFound(ImageErrorCode.NotFound, 'Image not found.');
    await images.update({ id: imageId }, decisionChanges(verdict));
    return image.moderationState;
  }
}

/**
 * What a decision changes on the row. Flagging also takes the image out of the gallery; clearing
 * it does not publish it again (the owner shares again).
 */
function decisionChanges(verdict: ModerationDecision): QueryDeepPartialEntity<Image> {
  return verdict === 'flagged'
    ? { moderationState: verdict, isPublic: false, sharedAt: null }
    : { moderationState: verdict };
}
