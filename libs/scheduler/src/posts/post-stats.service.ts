import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { PostStatsDto } from './dto/post.dto';
import { POST_STATUSES, Post, type PostStatus } from './post.entity';

const DAYS = 30;

/** GET /posts/stats: counts by status, by platform, per day, and the success rate. */
@Injectable()
export class PostStatsService {
  constructor(@InjectRepository(Post) private readonly posts: Repository<Post>) {}

  async stats(ownerId: string): Promise<PostStatsDto> {
    const byStatusPlatform = await this.posts
      .createQueryBuilder('post')
      .innerJoin('post.socialAccount', 'account')
      .select('post.status', 'status')
      .addSelect('account.platform', 'platform')
      .addSelect('COUNT(*)::int', 'count')
      .where('post.ownerId = :ownerId', { ownerId })
      .groupBy('post.status')
      .addGroupBy('account.platform')
      .getRawMany<{ status: PostStatus; platform: string; count: number }>();

    const perDayRows = await this.posts
      .createQueryBuilder('post')
      .select(
        `to_char(date_trunc('day', COALESCE(post.publishedAt, post.updatedAt) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
        'date',
      )
      .addSelect(`COUNT(*) FILTER (WHERE post.status = 'published')::int`, 'published')
      .addSelect(`COUNT(*) FILTER (WHERE post.status = 'failed')::int`, 'failed')
      .where('post.ownerId = :ownerId', { ownerId })
      .andWhere(`post.status IN ('published', 'failed')`)
      .andWhere(`COALESCE(post.publishedAt, post.updatedAt) >= now() - make_interval(days => :days)`, {
        days: DAYS,
      })
      .groupBy('1')
      .orderBy('1', 'ASC')
      .getRawMany<{ date: string; published: number; failed: number }>();

    const byStatus = Object.fromEntries(POST_STATUSES.map((s) => [s, 0])) as Record<PostStatus, number>;
    const byPlatform: PostStatsDto['byPlatform'] = {};
    for (const row of byStatusPlatform) {
      byStatus[row.status] += row.count;
      const platform = (byPlatform[row.platform] ??= { total: 0, published: 0, failed: 0 });
      platform.total += row.count;
      if (row.status === 'published') platform.published += row.count;
      if (row.status === 'failed') platform.failed += row.count;
    }
    const settled = byStatus.published + byStatus.failed;
    return {
      byStatus,
      byPlatform,
      perDay: perDayRows,
      successRate: settled === 0 ? null : Math.round((byStatus.published / settled) * 1000) / 1000,
    };
  }
}
