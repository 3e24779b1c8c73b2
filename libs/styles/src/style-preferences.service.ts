import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { keysetPage, Page, rateAndRecount } from '@atelier/core';
import { Style } from './entities/style.entity';
import { UserStylePreference } from './entities/user-style-preference.entity';
import { styleNotFound } from './styles.errors';

export interface RatingResult {
  styleId: string;
  score: number;
  comment: string | null;
  ratingAvg: number;
  ratingCount: number;
}

/** What each user does with styles: favourites, ratings and the preference list. */
@Injectable()
export class StylePreferencesService {
  constructor(
    @InjectRepository(UserStylePreference) private readonly preferences: Repository<UserStylePreference>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async setFavorite(userId: string, styleId: string, favorite: boolean): Promise<void> {
    await this.assertActive(styleId);
    await this.dataSource.query(
      `INSERT INTO user_style_preferences (user_id, style_id, favorite) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, style_id) DO UPDATE SET favorite = EXCLUDED.favorite, updated_at = now()
       WHERE user_style_preferences.favorite IS DISTINCT FROM EXCLUDED.favorite`,
      [userId, styleId, favorite],
    );
  }

  /**
   * Creates or replaces the user's rating and refreshes the style's aggregate. The style row is
   * locked first, so concurrent ratings of one style queue up and each recomputation (a new
   * statement, hence a new snapshot under READ COMMITTED) sees every rating committed before it.
   */
  async rate(userId: string, styleId: string, score: number, comment?: string): Promise<RatingResult> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager
        .getRepository(Style)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :styleId AND s.active = true', { styleId })
        .getOne();
      if (!locked) throw styleNotFound();
      // rating_avg is numeric(4,3): stored, and so returned, to 3 decimals.
      const aggregate = await rateAndRecount(
        manager,
        { table: 'styles', ratings: 'style_ratings', key: 'style_id' },
        { userId, targetId: styleId, score, comment: comment ?? null },
      );
      return { styleId, score, comment: comment ?? null, ...aggregate };
    });
  }

  /**
   * The user's preferences (favourites and used styles), most recently touched first, keyset on
   * (updated_at, style_id): the row has no single id, and style_id is unique per user.
   */
  async listForUser(
    userId: string,
    query: { favorite?: boolean; limit: number; cursor?: string },
  ): Promise<Page<UserStylePreference>> {
    const qb = this.preferences
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.style', 's')
      .innerJoinAndSelect('s.category', 'c')
      .where('p.user_id = :userId', { userId });
    if (query.favorite !== undefined) qb.andWhere('p.favorite = :favorite', { favorite: query.favorite });
    return keysetPage(qb, {
      sortColumn: 'p.updated_at',
      idColumn: 'p.style_id',
      rowId: (preference) => preference.styleId,
      limit: query.limit,
      cursor: query.cursor,
      map: (preference) => preference,
    });
  }

  private async assertActive(styleId: string): Promise<void> {
    const exists = await this.dataSource
      .getRepository(Style)
      .exists({ where: { id: styleId, active: true } });
    if (!exists) throw styleNotFound();
  }
}
