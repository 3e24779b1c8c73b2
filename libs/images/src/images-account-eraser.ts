import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AccountEraser, AccountErasers } from '@atelier/core';
import { ImageJobs } from './media/image-jobs';

/**
 * Account erasure, images part: every image of the user leaves the gallery and is deleted (its
 * title cleared), and its stored files are purged by the media queue. Rows stay soft-deleted
 * because jobs and post history refer to them.
 */
@Injectable()
export class ImagesAccountEraser implements AccountEraser, OnModuleInit {
  readonly name = 'images';

  constructor(
    private readonly erasers: AccountErasers,
    private readonly db: DataSource,
    private readonly jobs: ImageJobs,
  ) {}

  onModuleInit(): void {
    this.erasers.register(this);
  }

  async erase(userId: string): Promise<void> {
    await this.db.query(
      `UPDATE images SET is_public = false, shared_at = NULL, title = NULL,
         deleted_at = COALESCE(deleted_at, now()), updated_at = now()
       WHERE owner_id = $1 AND (deleted_at IS NULL OR is_public OR title IS NOT NULL)`,
      [userId],
    );
    // Every image, also ones deleted earlier: a purge job already done is not added again (job id).
    const images: Array<{ id: string }> = await this.db.query('SELECT id FROM images WHERE owner_id = $1', [
      userId,
    ]);
    for (const { id } of images) await this.jobs.purgeObjects(id);
  }
}
