import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { type Env, returnedRow } from '@atelier/core';
import { imageObjectKey, StorageService } from '@atelier/storage';
import { QuotaService } from '@atelier/users';
import { ImageTag } from './entities/image-tag.entity';
import { Image, ImageSource } from './entities/image.entity';
import { FoldersService } from './folders/folders.service';
import { DecodedImage, decodeUntrustedImage, EXTENSION_BY_FORMAT } from './image-codec';
import { ImageJobs } from './media/image-jobs';
import { renderThumbnail } from './media/thumbnail';
import { normaliseTags, searchTextOf } from './tags';

export interface IngestInput {
  ownerId: string;
  buffer: Buffer;
  source: ImageSource;
  jobId?: string;
  jobIndex?: number;
  parentImageId?: string;
  prompt?: string;
  negativePrompt?: string;
  provider?: string;
  model?: string;
  styleId?: string;
  params?: Record<string, unknown>;
  folderId?: string;
  tags?: string[];
  title?: string;
  /**
   * Make the thumbnail here, before the row is written, instead of on the media queue. For a
   * job's results: the worker holds the bytes already (the queued job would read them back, in a
   * second queue round and two more statements), and the job then completes with its thumbnails.
   */
  thumbnailNow?: boolean;
}

export type UploadInput = Pick<IngestInput, 'ownerId' | 'buffer' | 'folderId' | 'tags' | 'title'>;

/**
 * The one way images enter the library, whether uploaded or produced by a job: validated and
 * re-encoded, stored, recorded, then queued for thumbnail (an upload's; a job result's is made
 * inline) and moderation. Objects are written only after validation and removed again if the row
 * cannot be inserted, so a failure leaves nothing behind.
 */
@Injectable()
export class ImageIngestService {
  private readonly logger = new Logger(ImageIngestService.name);
  private readonly maxPixels: number;
  /** With MODERATION_DRIVER=none there is nothing to ask: images start `skipped`, no job runs. */
  private readonly moderated: boolean;

  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly folders: FoldersService,
    private readonly jobs: ImageJobs,
    private readonly quotas: QuotaService,
    config: ConfigService<Env, true>,
  ) {
    this.maxPixels = config.get('MAX_UPLOAD_PIXELS', { infer: true });
    this.moderated = config.get('MODERATION_DRIVER', { infer: true }) !== 'none';
  }

  /** A user's upload: counted against the daily upload quota, refunded if it fails. */
  async upload(input: UploadInput): Promise<Image> {
    await this.quotas.consume(input.ownerId, 'upload', 1);
    try {
      return await this.ingest({ ...input, source: 'upload' });
    } catch (error) {
      await this.quotas.refund(input.ownerId, 'upload', 1);
      throw error;
    }
  }

  /**
   * Idempotent on (jobId, jobIndex): a retried job gets the row it created the first time. The
   * unique index decides (the INSERT is ignored), so a first delivery, which is nearly every one,
   * spends no query looking for an earlier result.
   */
  async ingest(input: IngestInput): Promise<Image> {
    const folderId = input.folderId
      ? (await this.folders.findOwned(input.ownerId, input.folderId)).id
      : await this.folders.defaultFolderId(input.ownerId);
    const decoded = await decodeUntrustedImage(input.buffer, this.maxPixels);
    const id = randomUUID();
    const keys = {
      original: imageObjectKey(input.ownerId, id, 'original', EXTENSION_BY_FORMAT[decoded.format]),
      thumbnail: input.thumbnailNow ? imageObjectKey(input.ownerId, id, 'thumbnail', 'webp') : null,
    };
    const stored: string[] = [];
    let image: Image | undefined;
    try {
      await this.storage.put(keys.original, decoded.buffer, { contentType: decoded.mime });
      stored.push(keys.original);
      if (keys.thumbnail) {
        const thumbnail = await renderThumbnail(decoded.buffer);
        await this.storage.put(keys.thumbnail, thumbnail, { contentType: 'image/webp' });
        stored.push(keys.thumbnail);
      }
      image = await this.insert(id, { ...input, folderId }, decoded, keys);
    } catch (error) {
      await this.deleteQuietly(stored);
      throw error;
    }
    if (!image) {
      // Another delivery of the same job result won the race: keep its row, drop our copy.
      await this.deleteQuietly(stored);
      return (await this.findJobResult(input)) as Image;
    }
    await this.jobs.processNewImage(id, { thumbnail: !keys.thumbnail, moderate: this.moderated });
    return image;
  }

  /** The new row, or nothing when this job result was already stored. */
  private async insert(
    id: string,
    input: IngestInput,
    decoded: DecodedImage,
    keys: { original: string; thumbnail: string | null },
  ): Promise<Image | undefined> {
    const tags = normaliseTags(input.tags);
    // Image and tags land together; without tags the INSERT alone is atomic.
    const atomically = <T>(work: (manager: EntityManager) => Promise<T>) =>
      tags.length ? this.db.transaction(work) : work(this.db.manager);
    return atomically(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(Image)
        .values({
          id,
          ownerId: input.ownerId,
          folderId: input.folderId ?? null,
          title: input.title?.trim() || null,
          source: input.source,
          parentImageId: input.parentImageId ?? null,
          jobId: input.jobId ?? null,
          jobIndex: input.jobId ? (input.jobIndex ?? 0) : null,
          prompt: input.prompt ?? null,
          negativePrompt: input.negativePrompt ?? null,
          provider: input.provider ?? null,
          model: input.model ?? null,
          styleId: input.styleId ?? null,
          // TypeORM serialises jsonb itself; its deep-partial type cannot follow `unknown` values.
          params: (input.params ?? {}) as Record<string, never>,
          width: decoded.width,
          height: decoded.height,
          mime: decoded.mime,
          bytes: decoded.bytes,
          sha256: decoded.sha256,
          originalKey: keys.original,
          thumbnailKey: keys.thumbnail,
          status: 'generated',
          moderationState: this.moderated ? 'pending' : 'skipped',
          searchText: searchTextOf({ title: input.title, prompt: input.prompt, tags }),
        })
        .orIgnore()
        .returning('*')
        .execute();
      const image = returnedRow(manager, Image, result);
      if (!image) return undefined;
      if (tags.length) {
        await manager.insert(
          ImageTag,
          tags.map((tag) => ({ imageId: id, tag, ownerId: input.ownerId })),
        );
      }
      return image;
    });
  }

  private async findJobResult(input: IngestInput): Promise<Image | null> {
    if (!input.jobId) return null;
    return this.db
      .getRepository(Image)
      .findOne({ where: { jobId: input.jobId, jobIndex: input.jobIndex ?? 0 }, withDeleted: true });
  }

  private async deleteQuietly(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.storage.delete(key).catch((error: unknown) => {
        this.logger.error({ err: error, key }, 'Could not remove an orphaned object');
      });
    }
  }
}
