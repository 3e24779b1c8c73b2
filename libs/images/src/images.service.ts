import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import { AuthUser, keysetRawPage, Page, ProblemException } from '@atelier/core';
import { StorageService } from '@atelier/storage';
import { ImageListItem, LibraryRow, toImageListItem } from './dto/image-list-item.response';
import { ImageListQuery } from './dto/image-list.query';
import { ImageResponse, ImageUrls, toImageResponse } from './dto/image.response';
import { UpdateImageDto } from './dto/update-image.dto';
import { ImageTag } from './entities/image-tag.entity';
import { galleryVisibleSql, Image } from './entities/image.entity';
import { FoldersService } from './folders/folders.service';
import { mayBeShownOrPostedSql } from './image-visibility';
import { ImageErrorCode } from './images.errors';
import { ImageJobs } from './media/image-jobs';
import { SharingService } from './sharing.service';
import { containsPatterns, normaliseTags, searchTextOf } from './tags';

export interface PostableImagesFilter {
  ownerId: string;
  folderId?: string | null;
  tag?: string | null;
}

/** The caller's library: read, list, edit and delete images. */
@Injectable()
export class ImagesService {
  constructor(
    @InjectRepository(Image) private readonly images: Repository<Image>,
    private readonly db: DataSource,
    private readonly storage: StorageService,
    private readonly folders: FoldersService,
    private readonly sharing: SharingService,
    private readonly jobs: ImageJobs,
  ) {}

  /** The owner's image, or 404 `image_not_found` (also for other people's images). */
  async findOwned(ownerId: string, id: string): Promise<Image> {
    const image = await this.images.findOneBy({ id, ownerId });
    if (!image) throw notFound();
    return image;
  }

  /** An image the caller may see: their own, or a public one cleared by moderation. */
  async findVisible(viewer: AuthUser | undefined, id: string): Promise<Image> {
    const image = await this.images
      .createQueryBuilder('i')
      .where('i.id = :id', { id })
      .andWhere(
        new Brackets((w) => {
          w.where(`(${galleryVisibleSql('i')})`);
          if (viewer) w.orWhere('i.owner_id = :viewerId', { viewerId: viewer.id });
        }),
      )
      .getOne();
    if (!image) throw notFound();
    return image;
  }

  /** Anyone's image unless deleted, for background work in other libs (moderation, publishing). */
  find(id: string): Promise<Image | null> {
    return this.images.findOneBy({ id });
  }

  /** Anyone's image, deleted or not: what a post scheduled earlier still refers to. */
  findIncludingDeleted(id: string): Promise<Image | null> {
    return this.images.findOne({ where: { id }, withDeleted: true });
  }

  /** `findIncludingDeleted` for a batch (publishing a batch of posts): one query. */
  findManyIncludingDeleted(ids: string[]): Promise<Image[]> {
    return this.images.find({ where: { id: In([...new Set(ids)]) }, withDeleted: true });
  }

  /**
   * The owner's validated images that may be posted, from one folder and with one tag when given,
   * oldest first: a query (alias `i`) in the caller's transaction, which it may narrow further with
   * its own tables before taking rows.
   */
  postableImages(manager: EntityManager, filter: PostableImagesFilter): SelectQueryBuilder<Image> {
    const qb = manager
      .getRepository(Image)
      .createQueryBuilder('i')
      .where('i.owner_id = :ownerId', { ownerId: filter.ownerId })
      .andWhere(`i.status = 'validated'`)
      .andWhere(mayBeShownOrPostedSql('i'));
    if (filter.folderId) qb.andWhere('i.folder_id = :folderId', { folderId: filter.folderId });
    filterByTagAndText(qb, filter.tag ?? undefined);
    return qb.orderBy('i.created_at', 'ASC').addOrderBy('i.id', 'ASC');
  }

  async readOriginal(image: Image): Promise<Buffer> {
    return this.storage.getBuffer(image.originalKey);
  }

  async contentUrls(image: Image): Promise<ImageUrls> {
    const [contentUrl, thumbnailUrl] = await Promise.all([
      this.storage.signedUrl(image.originalKey),
      image.thumbnailKey ? this.storage.signedUrl(image.thumbnailKey) : null,
    ]);
    return { contentUrl, thumbnailUrl };
  }

  /** One query for the page: the listed columns only, no entities, one signed URL per item. */
  async list(ownerId: string, query: ImageListQuery): Promise<Page<ImageListItem>> {
    const qb = this.images
      .createQueryBuilder('i')
      .select(LIBRARY_COLUMNS)
      .where('i.owner_id = :ownerId', { ownerId });
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.source) qb.andWhere('i.source = :source', { source: query.source });
    if (query.folderId) qb.andWhere('i.folder_id = :folderId', { folderId: query.folderId });
    if (query.createdFrom) qb.andWhere('i.created_at >= :createdFrom', { createdFrom: query.createdFrom });
    if (query.createdTo) qb.andWhere('i.created_at < :createdTo', { createdTo: query.createdTo });
    if (query.favorite) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM image_favorites f WHERE f.image_id = i.id AND f.user_id = :ownerId)',
      );
    }
    filterByTagAndText(qb, query.tag, query.q);
    const page = await keysetRawPage(qb, {
      sortColumn: 'i.created_at',
      idColumn: 'i.id',
      limit: query.limit,
      cursor: query.cursor,
      map: (row) => row as unknown as LibraryRow,
    });
    return this.withPreviewUrls(page, toImageListItem);
  }

  /** Signs each row's `preview_key` (the thumbnail, else the original) and maps it to its item. */
  async withPreviewUrls<R extends { preview_key: string }, T>(
    page: Page<R>,
    toItem: (row: R, previewUrl: string) => T,
  ): Promise<Page<T>> {
    const urls = await Promise.all(page.items.map((row) => this.storage.signedUrl(row.preview_key)));
    return { items: page.items.map((row, index) => toItem(row, urls[index])), nextCursor: page.nextCursor };
  }

  async get(ownerId: string, id: string): Promise<ImageResponse> {
    const [response] = await this.present([await this.findOwned(ownerId, id)]);
    return response;
  }

  async update(ownerId: string, id: string, changes: UpdateImageDto): Promise<ImageResponse> {
    const image = await this.findOwned(ownerId, id);
    if (changes.folderId) image.folderId = (await this.folders.findOwned(ownerId, changes.folderId)).id;
    if (changes.title !== undefined) image.title = changes.title?.trim() || null;
    const tags = changes.tags ? normaliseTags(changes.tags) : await this.tagsOf(image.id);
    await this.db.transaction(async (manager) => {
      await manager.update(
        Image,
        { id, ownerId },
        {
          folderId: image.folderId,
          title: image.title,
          searchText: searchTextOf({ title: image.title, prompt: image.prompt, tags }),
        },
      );
      if (changes.tags) {
        await manager.delete(ImageTag, { imageId: id });
        if (tags.length)
          await manager.insert(
            ImageTag,
            tags.map((tag) => ({ imageId: id, tag, ownerId })),
          );
      }
    });
    if (changes.isPublic === true) await this.sharing.share(ownerId, id);
    if (changes.isPublic === false) await this.sharing.unshare(ownerId, id);
    return this.get(ownerId, id);
  }

  /** Soft delete; the stored objects are removed by a background job. */
  async remove(ownerId: string, id: string): Promise<void> {
    await this.findOwned(ownerId, id);
    await this.images.update({ id, ownerId }, { isPublic: false });
    await this.images.softDelete({ id, ownerId });
    await this.jobs.purgeObjects(id);
  }

  /** Response DTOs with tags and signed URLs, in one tag query for the whole page. */
  async present(images: Image[]): Promise<ImageResponse[]> {
    const tags = await this.tagsByImage(images.map((i) => i.id));
    return Promise.all(images.map((image) => this.respond(image, tags.get(image.id) ?? [])));
  }

  private async respond(image: Image, tags: string[]): Promise<ImageResponse> {
    return toImageResponse(image, tags, await this.contentUrls(image));
  }

  async tagsByImage(imageIds: string[]): Promise<Map<string, string[]>> {
    const byImage = new Map<string, string[]>();
    if (imageIds.length === 0) return byImage;
    // Plain SQL: two columns for a whole page, no entities to build.
    const rows: { image_id: string; tag: string }[] = await this.db.query(
      'SELECT image_id, tag FROM image_tags WHERE image_id = ANY($1::uuid[]) ORDER BY tag',
      [imageIds],
    );
    for (const row of rows) {
      const tags = byImage.get(row.image_id);
      if (tags) tags.push(row.tag);
      else byImage.set(row.image_id, [row.tag]);
    }
    return byImage;
  }

  private async tagsOf(imageId: string): Promise<string[]> {
    return (await this.tagsByImage([imageId])).get(imageId) ?? [];
  }
}

/** What a list item is made of (ImageListRow), `preview_key` being the thumbnail or else the original. */
export const LIST_COLUMNS = [
  'i.id AS id',
  'i.title AS title',
  'i.width AS width',
  'i.height AS height',
  'COALESCE(i.thumbnail_key, i.original_key) AS preview_key',
  'i.created_at AS created_at',
];
const LIBRARY_COLUMNS = [
  ...LIST_COLUMNS,
  'i.source AS source',
  'i.status AS status',
  'i.moderation_state AS moderation_state',
  'i.is_public AS is_public',
  'i.folder_id AS folder_id',
];

/** Shared by the library and the gallery: exact tag, and every word of `q` in title/prompt/tags. */
export function filterByTagAndText(qb: SelectQueryBuilder<Image>, tag?: string, q?: string): void {
  const [normalisedTag] = normaliseTags(tag ? [tag] : []);
  if (normalisedTag) {
    qb.andWhere('EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id AND t.tag = :tag)', {
      tag: normalisedTag,
    });
  }
  containsPatterns(q).forEach((pattern, index) => {
    qb.andWhere(`i.search_text ILIKE :q${index}`, { [`q${index}`]: pattern });
  });
}

function notFound(): ProblemException {
  return ProblemException.notFound(ImageErrorCode.NotFound, 'Image not found.');
}
