import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsTimestamp, PageQuery } from '@atelier/core';
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../../publishers/platform-descriptors';
import { POST_STATUSES, type Post, type PostStatus } from '../post.entity';

export class CreatePostDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  imageId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  socialAccountId: string;

  @ApiPropertyOptional({ default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(70_000)
  caption?: string;

  @ApiPropertyOptional({ type: [String], description: 'Tags with or without #' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  hashtags?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Omitted: publish now' })
  @IsOptional()
  @IsTimestamp()
  scheduledAt?: Date;
}

export class UpdatePostDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(70_000)
  caption?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  hashtags?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  scheduledAt?: Date;
}

export class PostListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: POST_STATUSES })
  @IsOptional()
  @IsIn(POST_STATUSES)
  status?: PostStatus;

  @ApiPropertyOptional({ enum: SOCIAL_PLATFORMS })
  @IsOptional()
  @IsIn(SOCIAL_PLATFORMS)
  platform?: SocialPlatform;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'scheduledAt ≥ from' })
  @IsOptional()
  @IsTimestamp()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'scheduledAt < to' })
  @IsOptional()
  @IsTimestamp()
  to?: Date;
}

export class PostDto {
  @ApiProperty() id: string;
  @ApiProperty() imageId: string;
  @ApiProperty() socialAccountId: string;
  @ApiPropertyOptional({ enum: SOCIAL_PLATFORMS }) platform?: SocialPlatform;
  @ApiProperty() caption: string;
  @ApiProperty({ type: [String] }) hashtags: string[];
  @ApiProperty({ type: String, format: 'date-time' }) scheduledAt: Date;
  @ApiProperty({ enum: POST_STATUSES }) status: PostStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) externalId: string | null;
  @ApiProperty({ nullable: true, type: String }) externalUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) errorCode: string | null;
  @ApiProperty({ nullable: true, type: String }) errorMessage: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) scheduleId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;

  static from(post: Post): PostDto {
    return {
      id: post.id,
      imageId: post.imageId,
      socialAccountId: post.socialAccountId,
      platform: post.socialAccount?.platform,
      caption: post.caption,
      hashtags: post.hashtags,
      scheduledAt: post.scheduledAt,
      status: post.status,
      attempts: post.attempts,
      externalId: post.externalId,
      externalUrl: post.externalUrl,
      errorCode: post.errorCode,
      errorMessage: post.errorMessage,
      publishedAt: post.publishedAt,
      scheduleId: post.scheduleId,
      createdAt: post.createdAt,
      updatedAt: post.updatedAt,
    };
  }
}

export class PostPageDto {
  @ApiProperty({ type: [PostDto] }) items: PostDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class PostStatsDayDto {
  @ApiProperty({ format: 'date', example: '2026-12-01' }) date: string;
  @ApiProperty({ type: 'integer' }) published: number;
  @ApiProperty({ type: 'integer' }) failed: number;
}

export class PostStatsDto {
  @ApiProperty({ description: 'Posts per status' }) byStatus: Record<PostStatus, number>;
  @ApiProperty({ description: 'Posts per platform, split by status' })
  byPlatform: Record<string, { total: number; published: number; failed: number }>;
  @ApiProperty({
    type: [PostStatsDayDto],
    description: 'Published and failed posts per UTC day over the last 30 days',
  })
  perDay: PostStatsDayDto[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'published / (published + failed), null without any',
  })
  successRate: number | null;
}
