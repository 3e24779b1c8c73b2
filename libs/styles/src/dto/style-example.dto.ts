import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUrl, IsUUID, MaxLength, Min } from 'class-validator';
import type { StyleExample } from '../entities/style-example.entity';

export class CreateStyleExampleDto {
  @ApiPropertyOptional({ description: 'Absolute URL of the image before the style' })
  @IsOptional()
  @IsUrl({ require_tld: false })
  @MaxLength(2048)
  beforeImageUrl?: string;

  @ApiPropertyOptional({ description: 'Absolute URL of the image with the style applied' })
  @IsOptional()
  @IsUrl({ require_tld: false })
  @MaxLength(2048)
  afterImageUrl?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An Atelier image, instead of beforeImageUrl' })
  @IsOptional()
  @IsUUID()
  beforeImageId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An Atelier image, instead of afterImageUrl' })
  @IsOptional()
  @IsUUID()
  afterImageId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  caption?: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  sortOrder?: number;
}

export class UpdateStyleExampleDto extends PartialType(CreateStyleExampleDto) {}

export class StyleExampleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) styleId: string;
  @ApiProperty({ nullable: true, type: String }) beforeImageUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) afterImageUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) beforeImageId: string | null;
  @ApiProperty({ nullable: true, type: String }) afterImageId: string | null;
  @ApiProperty() caption: string;
  @ApiProperty() sortOrder: number;

  static of(example: StyleExample): StyleExampleResponse {
    const { id, styleId, beforeImageId, afterImageId, caption, sortOrder } = example;
    return {
      id,
      styleId,
      // An Atelier image is served by the images API; the client fetches it like any image.
      beforeImageUrl: example.beforeImageUrl ?? imageContentPath(beforeImageId),
      afterImageUrl: example.afterImageUrl ?? imageContentPath(afterImageId),
      beforeImageId,
      afterImageId,
      caption,
      sortOrder,
    };
  }
}

export class StyleExampleList {
  @ApiProperty({ type: [StyleExampleResponse] }) items: StyleExampleResponse[];
}

function imageContentPath(imageId: string | null): string | null {
  return imageId ? `/api/v1/images/${imageId}/content` : null;
}
