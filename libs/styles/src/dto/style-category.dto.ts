import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import type { StyleCategory } from '../entities/style-category.entity';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MESSAGE = 'must be lowercase letters, digits and single hyphens';

export class CreateStyleCategoryDto {
  @ApiProperty({ example: 'Anime' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  @ApiPropertyOptional({ example: 'anime', description: 'Derived from the name when omitted' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  @MaxLength(80)
  slug?: string;

  @ApiPropertyOptional({ example: 'sparkles' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  icon?: string;

  @ApiPropertyOptional({ example: '#ff6b6b' })
  @IsOptional()
  @Matches(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, { message: 'color must be a hex colour such as #ff6b6b' })
  color?: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  sortOrder?: number;
}

export class UpdateStyleCategoryDto extends PartialType(CreateStyleCategoryDto) {}

export class StyleCategoryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ nullable: true, type: String }) icon: string | null;
  @ApiProperty({ nullable: true, type: String }) color: string | null;
  @ApiProperty() sortOrder: number;

  static of(category: StyleCategory): StyleCategoryResponse {
    const { id, name, slug, icon, color, sortOrder } = category;
    return { id, name, slug, icon, color, sortOrder };
  }
}

export class StyleCategoryList {
  @ApiProperty({ type: [StyleCategoryResponse] }) items: StyleCategoryResponse[];
}

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}
