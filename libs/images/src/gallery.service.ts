import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { keysetPage, Page } from '@atelier/core';
import { GalleryQuery } from './dto/gallery.query';
import { PublicImageResponse, toPublicImageResponse } from './dto/image.response';
import { galleryVisibleSql, Image } from './entities/image.entity';
import { filterByTagAndText, ImagesService, selectTags } from './images.service';

/**
 * The public gallery. The visibility predicate matches the partial indexes on the entity
 * (recent: created_at, popular: favorites_count), and `q` is answered by the trigram index over
 * search_text (created in the Images migration).
 */
@Injectable()
export class GalleryService {
  constructor(
    @InjectRepository(Image) private readonly images: Repository<Image>,
    private readonly library: ImagesService,
  ) {}

  async list(query: GalleryQuery): Promise<Page<PublicImageResponse>> {
    const qb = this.images.createQueryBuilder('i').where(galleryVisibleSql('i'));
    if (query.styleId) qb.andWhere('i.style_id = :styleId', { styleId: query.styleId });
    filterByTagAndText(qb, query.tag, query.q);
    selectTags(qb);
    const popular = query.sort === 'popular';
    const page = await keysetPage(qb, {
      sortColumn: popular ? 'i.favorites_count' : 'i.created_at',
      idColumn: 'i.id',
      limit: query.limit,
      cursor: query.cursor,
      sortType: popular ? 'integer' : 'timestamp',
      sortValue: (image) => image.favoritesCount,
      map: (image, raw) => ({ image, tags: raw.tags as string[] }),
    });
    const items = await Promise.all(
      page.items.map(async ({ image, tags }) =>
        toPublicImageResponse(image, tags, await this.library.contentUrls(image)),
      ),
    );
    return { items, nextCursor: page.nextCursor };
  }
}
