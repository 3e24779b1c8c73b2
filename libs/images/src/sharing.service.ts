import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { Image } from './entities/image.entity';
import { mayBeShownOrPostedSql } from './image-visibility';
import { ImageErrorCode } from './images.errors';

export type ValidationAction = 'validate' | 'reject';

const TARGET_STATUS = { validate: 'validated', reject: 'rejected' } as const;

/**
 * State changes guarded in SQL: each is one conditional UPDATE, so concurrent requests (or a
 * moderation verdict landing at the same moment) can never produce an illegal state.
 */
@Injectable()
export class SharingService {
  constructor(private readonly db: DataSource) {}

  /** Public only once moderation cleared it (mayBeShownOrPosted). */
  async share(ownerId: string, id: string): Promise<void> {
    const updated = await this.guardedUpdate(
      `UPDATE images SET is_public = true, shared_at = COALESCE(shared_at, now()), updated_at = now()
       WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL AND ${mayBeShownOrPostedSql()}`,
      [id, ownerId],
    );
    if (updated) return;
    const image = await this.findOwned(ownerId, id);
    throw ProblemException.conflict(
      ImageErrorCode.ModerationBlocked,
      image.moderationState === 'pending'
        ? 'The image is still being moderated; try again shortly.'
        : 'Moderation flagged this image; it cannot be shared.',
      { moderationState: image.moderationState },
    );
  }

  async unshare(ownerId: string, id: string): Promise<void> {
    const updated = await this.guardedUpdate(
      `UPDATE images SET is_public = false, shared_at = NULL, updated_at = now()
       WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL`,
      [id, ownerId],
    );
    if (!updated) await this.findOwned(ownerId, id);
  }

  /** `generated` → `validated` | `rejected`; anything else is 409 `illegal_transition`. */
  async validate(ownerId: string, id: string, action: ValidationAction, notes?: string): Promise<void> {
    const to = TARGET_STATUS[action];
    const updated = await this.guardedUpdate(
      `UPDATE images SET status = $3, validation_notes = $4, updated_at = now()
       WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL AND status = 'generated'`,
      [id, ownerId, to, notes ?? null],
    );
    if (updated) return;
    const image = await this.findOwned(ownerId, id);
    throw ProblemException.conflict(
      ImageErrorCode.IllegalTransition,
      `An image in status "${image.status}" cannot be ${to}; only generated images can.`,
      { from: image.status, to },
    );
  }

  private async guardedUpdate(sql: string, parameters: unknown[]): Promise<boolean> {
    const [, affected] = (await this.db.query(sql, parameters)) as [unknown, number];
    return affected > 0;
  }

  private async findOwned(ownerId: string, id: string): Promise<Image> {
    const image = await this.db.getRepository(Image).findOneBy({ id, ownerId });
    if (!image) throw ProblemException.notFound(ImageErrorCode.NotFound, 'Image not found.');
    return image;
  }
}
