import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@atelier/core';
import { VerifiedUser } from '@atelier/users';
import type { PostAnalytics } from './post-analytics.entity';
import { PostAnalyticsService } from './post-analytics.service';

export class PostAnalyticsDto {
  @ApiProperty() postId: string;
  @ApiProperty({ nullable: true, type: Number }) likes: number | null;
  @ApiProperty({ nullable: true, type: Number }) comments: number | null;
  @ApiProperty({ nullable: true, type: Number }) shares: number | null;
  @ApiProperty({ nullable: true, type: Number }) impressions: number | null;
  @ApiProperty({ nullable: true, type: Number }) reach: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'null: never fetched' })
  fetchedAt: Date | null;

  static from(postId: string, row: PostAnalytics | null): PostAnalyticsDto {
    return {
      postId,
      likes: row?.likes ?? null,
      comments: row?.comments ?? null,
      shares: row?.shares ?? null,
      impressions: row?.impressions ?? null,
      reach: row?.reach ?? null,
      fetchedAt: row?.fetchedAt ?? null,
    };
  }
}

@ApiTags('scheduler')
@Controller('posts/:id/analytics')
@VerifiedUser()
export class PostAnalyticsController {
  constructor(private readonly analytics: PostAnalyticsService) {}

  @Get()
  @ApiOkResponse({ type: PostAnalyticsDto })
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return PostAnalyticsDto.from(id, await this.analytics.latest(user.id, id));
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOkResponse({ type: PostAnalyticsDto })
  async sync(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return PostAnalyticsDto.from(id, await this.analytics.syncOwned(user.id, id));
  }
}
