import { ApiProperty } from '@nestjs/swagger';
import { FolderResponse } from './folder.dto';
import { GalleryItem, ImageListItem } from './image-list-item.response';

// Concrete page classes, so the OpenAPI document describes each list's items.

export class ImagePage {
  @ApiProperty({ type: [ImageListItem] }) items: ImageListItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class GalleryPage {
  @ApiProperty({ type: [GalleryItem] }) items: GalleryItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class FolderPage {
  @ApiProperty({ type: [FolderResponse] }) items: FolderResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class TagCountResponse {
  @ApiProperty() tag: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class TagList {
  @ApiProperty({ type: [TagCountResponse] }) items: TagCountResponse[];
}
