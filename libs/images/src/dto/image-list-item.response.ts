import { ApiProperty } from '@nestjs/swagger';
import {
  IMAGE_SOURCES,
  IMAGE_STATUSES,
  ImageSource,
  ImageStatus,
  MODERATION_STATES,
  ModerationState,
} from '../entities/image.entity';

// List items carry what a list shows; the full image (prompt, parameters, tags, both URLs…) is on
// its item route: GET /images/:id for the owner, GET /gallery/:id for anyone.

const PREVIEW_URL = {
  description:
    'Short-lived signed URL of the 512 px WebP thumbnail; of the original until the thumbnail is made',
};

/** An image in its owner's library list. */
export class ImageListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ enum: IMAGE_SOURCES }) source: ImageSource;
  @ApiProperty({ enum: IMAGE_STATUSES }) status: ImageStatus;
  @ApiProperty({ enum: MODERATION_STATES }) moderationState: ModerationState;
  @ApiProperty() isPublic: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) folderId: string | null;
  @ApiProperty({ type: 'integer' }) width: number;
  @ApiProperty({ type: 'integer' }) height: number;
  @ApiProperty(PREVIEW_URL) previewUrl: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** An image in the public gallery list. */
export class GalleryItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) title: string | null;
  @ApiProperty({ type: 'integer' }) width: number;
  @ApiProperty({ type: 'integer' }) height: number;
  @ApiProperty({ type: 'integer' }) favoritesCount: number;
  @ApiProperty() ratingAvg: number;
  @ApiProperty(PREVIEW_URL) previewUrl: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** The columns a list item is made of, as the list queries select them (snake_case, raw). */
export interface ImageListRow {
  id: string;
  title: string | null;
  width: number;
  height: number;
  preview_key: string;
  created_at: Date;
}

export interface LibraryRow extends ImageListRow {
  source: ImageSource;
  status: ImageStatus;
  moderation_state: ModerationState;
  is_public: boolean;
  folder_id: string | null;
}

export interface GalleryRow extends ImageListRow {
  favorites_count: number;
  rating_avg: number;
}

export function toImageListItem(row: LibraryRow, previewUrl: string): ImageListItem {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    status: row.status,
    moderationState: row.moderation_state,
    isPublic: row.is_public,
    folderId: row.folder_id,
    width: row.width,
    height: row.height,
    previewUrl,
    createdAt: row.created_at.toISOString(),
  };
}

export function toGalleryItem(row: GalleryRow, previewUrl: string): GalleryItem {
  return {
    id: row.id,
    title: row.title,
    width: row.width,
    height: row.height,
    favoritesCount: row.favorites_count,
    ratingAvg: Math.round(row.rating_avg * 100) / 100,
    previewUrl,
    createdAt: row.created_at.toISOString(),
  };
}
