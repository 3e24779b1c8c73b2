import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { QueueName } from '@atelier/core';
import { StorageService } from '@atelier/storage';
import { imageJobId } from './image-jobs';

/** An image's purge job has had a day to run (3 attempts with backoff take seconds). */
export const ORPHAN_GRACE_MS = 86_400_000;
/**
 * Images deleted longer ago than grace + lookback are not looked at again: each daily pass sees
 * every deletion several times, without re-checking the whole history of deleted images.
 */
export const ORPHAN_LOOKBACK_MS = 7 * 86_400_000;
const BATCH = 200;
/** Bull states in which the purge job may still do its work (or did it). */
const PURGE_PENDING_OR_DONE = new Set(['waiting', 'active', 'delayed', 'paused', 'completed']);

interface DeletedImage {
  id: string;
  original_key: string;
  thumbnail_key: string | null;
  deleted_at: Date;
}

/**
 * Deletes the stored objects of images soft-deleted more than a day ago whose purge job failed
 * (or never reached Redis): ImagesService.remove purges through the `media` queue, and this
 * catches what that job left behind. Deleting a missing key is harmless, so two workers running
 * it at once only repeat work.
 */
@Injectable()
export class OrphanedObjects {
  private readonly logger = new Logger(OrphanedObjects.name);

  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
    @InjectQueue(QueueName.Media) private readonly media: Queue,
  ) {}

  @Cron('45 3 * * *', { name: 'images.orphaned-objects', timeZone: 'UTC' })
  async purgeDaily(): Promise<{ checked: number; deleted: number }> {
    try {
      return await this.purge();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Orphaned objects pass failed; tomorrow tries again');
      return { checked: 0, deleted: 0 };
    }
  }

  /** Returns how many deleted images were looked at and how many objects were removed. */
  async purge(now = new Date()): Promise<{ checked: number; deleted: number }> {
    const until = new Date(now.getTime() - ORPHAN_GRACE_MS);
    const since = new Date(until.getTime() - ORPHAN_LOOKBACK_MS);
    let checked = 0;
    let deleted = 0;
    let after: { deletedAt: Date; id: string } | undefined;
    for (;;) {
      const rows: DeletedImage[] = await this.db.query(
        `SELECT id, original_key, thumbnail_key, deleted_at FROM images
          WHERE deleted_at >= $1 AND deleted_at < $2
            AND ($3::timestamptz IS NULL OR (deleted_at, id) > ($3, $4::uuid))
          ORDER BY deleted_at, id LIMIT $5`,
        [since, until, after?.deletedAt ?? null, after?.id ?? null, BATCH],
      );
      for (const image of rows) {
        checked += 1;
        if (await this.purgeHandled(image.id)) continue;
        deleted += await this.deleteObjects(image);
      }
      if (rows.length < BATCH) break;
      const last = rows[rows.length - 1];
      after = { deletedAt: last.deleted_at, id: last.id };
    }
    if (deleted) this.logger.log({ checked, deleted }, 'Deleted objects of deleted images left behind');
    return { checked, deleted };
  }

  private async purgeHandled(imageId: string): Promise<boolean> {
    const job = await this.media.getJob(imageJobId.purge(imageId));
    return job ? PURGE_PENDING_OR_DONE.has(await job.getState()) : false;
  }

  private async deleteObjects(image: DeletedImage): Promise<number> {
    let deleted = 0;
    for (const key of [image.original_key, image.thumbnail_key]) {
      if (!key || !(await this.storage.head(key))) continue;
      try {
        await this.storage.delete(key);
        deleted += 1;
      } catch (err) {
        this.logger.warn({ imageId: image.id, key, err: (err as Error).message }, 'Object delete failed');
      }
    }
    return deleted;
  }
}
