import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { keysetPage, Page } from '@atelier/core';
import { StyleCategory } from './entities/style-category.entity';
import { StyleExample } from './entities/style-example.entity';
import { Style } from './entities/style.entity';
import { UUID } from './style-id.pipe';
import { styleNotFound } from './styles.errors';

export const POPULAR_WINDOW_DAYS = 30;
// Bayesian smoothing: a style with few ratings is pulled towards a neutral 3/5, so one 5-star
// vote does not outrank a style many people rate 4.5.
const RATING_PRIOR_MEAN = 3;
const RATING_PRIOR_WEIGHT = 5;

export interface StyleFilter {
  category?: string;
  q?: string;
  premium?: boolean;
  limit: number;
  cursor?: string;
}

export interface PopularStyle {
  style: Style;
  recentUsers: number;
  popularity: number;
}

/** Read side of the catalogue: categories, the style list, popular styles and examples. */
@Injectable()
export class StyleCatalogService {
  constructor(
    @InjectRepository(Style) private readonly styles: Repository<Style>,
    @InjectRepository(StyleCategory) private readonly categories: Repository<StyleCategory>,
    @InjectRepository(StyleExample) private readonly examples: Repository<StyleExample>,
  ) {}

  listCategories(): Promise<StyleCategory[]> {
    return this.categories.find({ order: { sortOrder: 'ASC', name: 'ASC' } });
  }

  /** Active styles A→Z, keyset-paginated on (name, id). */
  async listStyles(filter: StyleFilter): Promise<Page<Style>> {
    const qb = this.styles
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.category', 'c')
      .where('s.active = true');
    if (filter.category) {
      qb.andWhere(UUID.test(filter.category) ? 'c.id = :category' : 'c.slug = :category', {
        category: filter.category,
      });
    }
    if (filter.premium !== undefined) qb.andWhere('s.premium = :premium', { premium: filter.premium });
    if (filter.q?.trim()) {
      const pattern = `%${escapeLike(filter.q.trim())}%`;
      qb.andWhere(
        new Brackets((w) =>
          w.where('s.name ILIKE :pattern', { pattern }).orWhere('s.description ILIKE :pattern', { pattern }),
        ),
      );
    }
    return keysetPage(qb, {
      sortColumn: 's.name',
      idColumn: 's.id',
      order: 'ASC',
      sortType: 'text',
      sortValue: (style) => style.name,
      limit: filter.limit,
      cursor: filter.cursor,
      map: (style) => style,
    });
  }

  /**
   * Styles ranked by how many distinct users used them in the last 30 days, weighted by their
   * smoothed rating; ties go to lifetime usage, then name. Unused styles trail, so the list is
   * never empty on a fresh install.
   */
  async popular(limit: number): Promise<PopularStyle[]> {
    const smoothedRating =
      `((s.rating_avg * s.rating_count + ${RATING_PRIOR_MEAN * RATING_PRIOR_WEIGHT}) / ` +
      `(s.rating_count + ${RATING_PRIOR_WEIGHT}))`;
    const { entities, raw } = await this.styles
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.category', 'c')
      .leftJoin(
        (sub) =>
          sub
            .select('p.style_id', 'style_id')
            .addSelect('count(*)::int', 'recent_users')
            .from('user_style_preferences', 'p')
            .where(`p.last_used_at > now() - make_interval(days => :days)`, { days: POPULAR_WINDOW_DAYS })
            .groupBy('p.style_id'),
        'recent',
        'recent.style_id = s.id',
      )
      .addSelect('COALESCE(recent.recent_users, 0)', 'recent_users')
      .addSelect(`COALESCE(recent.recent_users, 0) * ${smoothedRating} / 5`, 'popularity')
      .where('s.active = true')
      .orderBy('popularity', 'DESC')
      .addOrderBy('s.usage_count', 'DESC')
      .addOrderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(limit)
      .getRawAndEntities<{ s_id: string; recent_users: number; popularity: string }>();
    const byId = new Map(raw.map((row) => [row.s_id, row]));
    return entities.map((style) => {
      const row = byId.get(style.id);
      return {
        style,
        recentUsers: Number(row?.recent_users ?? 0),
        popularity: Math.round(Number(row?.popularity ?? 0) * 1000) / 1000,
      };
    });
  }

  /** An active style by id or slug (clients link to styles by slug). */
  async getActive(idOrSlug: string): Promise<Style> {
    const style = await this.styles.findOne({
      where: UUID.test(idOrSlug) ? { id: idOrSlug, active: true } : { slug: idOrSlug, active: true },
      relations: { category: true },
    });
    if (!style) throw styleNotFound();
    return style;
  }

  async listExamples(idOrSlug: string): Promise<StyleExample[]> {
    const style = await this.getActive(idOrSlug);
    return this.examples.find({ where: { styleId: style.id }, order: { sortOrder: 'ASC', id: 'ASC' } });
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
