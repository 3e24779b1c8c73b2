import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { keysetRawPage, Page } from '@atelier/core';
import { GalleryQuery } from './dto/gallery.query';
import { GalleryItem, GalleryRow, toGalleryItem } from './dto/image-list-item.response';
import { PublicImageResponse, toPublicImageResponse } from './dto/image.response';
import { ImageTag } from './entities/image-tag.entity';
import { galleryVisibleSql, Image } from './entities/image.entity';
import { filterByTagAndText, ImagesService, LIST_COLUMNS } from './images.service';
import { normaliseTags } from './tags';

const GALLERY_COLUMNS = [
  ...LIST_COLUMNS,
  'i.favorites_count AS favorites_count',
  'i.rating_avg AS rating_avg',
];

/**
 * The public gallery. The visibility predicate matches the partial indexes on the entity
 * (recent: created_at, popular: favorites_count), `q` is answered by the trigram index over
 * search_text (created in the Images migration), and a recent page of one tag walks the tag's
 * rows newest first (idx_image_tags_tag_recent).
 */
@Injectable()
export class GalleryService {
  constructor(
    @InjectRepository(Image) private readonly images: Repository<Image>,
    private readonly library: ImagesService,
  ) {}

  async list(query: GalleryQuery): Promise<Page<GalleryItem>> {
    const qb = this.images.createQueryBuilder('i').select(GALLERY_COLUMNS).where(galleryVisibleSql('i'));
    if (query.styleId) qb.andWhere('i.style_id = :styleId', { styleId: query.styleId });
    const popular = query.sort === 'popular';
    const [tag] = normaliseTags(query.tag ? [query.tag] : []);
    let keyset = popular
      ? { sortColumn: 'i.favorites_count', idColumn: 'i.id', sortType: 'integer' as const }
      : { sortColumn: 'i.created_at', idColumn: 'i.id' };
    if (tag && !popular) {
      // The tag's index rows carry their image's created_at and id: the same cursor, one index walk.
      qb.innerJoin(ImageTag, 't', 't.image_id = i.id AND t.tag = :tag', { tag });
      keyset = { sortColumn: 't.image_created_at', idColumn: 't.image_id' };
      filterByTagAndText(qb, undefined, query.q);
    } else {
      filterByTagAndText(qb, query.tag, query.q);
    }
    const page = await keysetRawPage(qb, {
      ...keyset,
      limit: query.limit,
      cursor: query.cursor,
      map: (row) => row as unknown as GalleryRow,
    });
    return this.library.withPreviewUrls(page, toGalleryItem);
  }

  /** One public image with everything the gallery may show about it. */
  async get(id: string): Promise<PublicImageResponse> {
    const image = await this.library.findVisible(undefined, id);
    const [tags, urls] = await Promise.all([this.library.tagsByImage([id]), this.library.contentUrls(image)]);
    return toPublicImageResponse(image, tags.get(id) ?? [], urls);
  }
}
