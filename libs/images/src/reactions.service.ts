import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser, rateAndRecount } from '@atelier/core';
import { ImagesService } from './images.service';

export interface FavoriteState {
  favorited: boolean;
  favoritesCount: number;
}

export interface RatingState {
  score: number;
  comment: string | null;
  ratingAvg: number;
  ratingCount: number;
}

/**
 * Favorites and ratings, on the caller's own images or public ones. Counters change in the same
 * transaction as the row they count, with the image row locked first, so concurrent requests
 * always leave aggregates equal to what a recount would give.
 */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly db: DataSource,
    private readonly images: ImagesService,
  ) {}

  async favorite(user: AuthUser, imageId: string): Promise<FavoriteState> {
    await this.images.findVisible(user, imageId);
    return this.db.transaction(async (manager) => {
      await lockImage(manager, imageId);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO image_favorites (user_id, image_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING image_id`,
        [user.id, imageId],
      );
      return { favorited: true, favoritesCount: await adjustFavorites(manager, imageId, inserted.length) };
    });
  }

  async unfavorite(user: AuthUser, imageId: string): Promise<FavoriteState> {
    await this.images.findVisible(user, imageId);
    return this.db.transaction(async (manager) => {
      await lockImage(manager, imageId);
      const [, deleted] = (await manager.query(
        `DELETE FROM image_favorites WHERE user_id = $1 AND image_id = $2`,
        [user.id, imageId],
      )) as [unknown, number];
      return { favorited: false, favoritesCount: await adjustFavorites(manager, imageId, -deleted) };
    });
  }

  /** One rating per user per image; rating again replaces it. */
  async rate(user: AuthUser, imageId: string, score: number, comment?: string): Promise<RatingState> {
    await this.images.findVisible(user, imageId);
    return this.db.transaction(async (manager) => {
      // Locking first makes the recount below see every rating committed before ours.
      await lockImage(manager, imageId);
      const aggregate = await rateAndRecount(manager, IMAGE_RATINGS, {
        userId: user.id,
        targetId: imageId,
        score,
        comment: comment ?? null,
      });
      return {
        score,
        comment: comment ?? null,
        // Stored unrounded (double precision); shown to 2 decimals, as ImageResponse does.
        ratingAvg: Math.round(aggregate.ratingAvg * 100) / 100,
        ratingCount: aggregate.ratingCount,
      };
    });
  }
}

const IMAGE_RATINGS = { table: 'images', ratings: 'image_ratings', key: 'image_id' };

async function lockImage(manager: EntityManager, imageId: string): Promise<void> {
  await manager.query(`SELECT 1 FROM images WHERE id = $1 FOR UPDATE`, [imageId]);
}

async function adjustFavorites(manager: EntityManager, imageId: string, delta: number): Promise<number> {
  const [[row]] = (await manager.query(
    `UPDATE images SET favorites_count = favorites_count + $2 WHERE id = $1 RETURNING favorites_count`,
    [imageId, delta],
  )) as [[{ favorites_count: number }], number];
  return row.favorites_count;
}
