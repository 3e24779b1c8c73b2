import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQuery } from '@atelier/core';
import {
  Style,
  STYLE_BACKGROUNDS,
  STYLE_OUTPUT_FORMATS,
  STYLE_QUALITIES,
  STYLE_SIZES,
  type StyleBackground,
  type StyleOutputFormat,
  type StyleQuality,
  type StyleSize,
} from '../entities/style.entity';
import { SLUG_PATTERN, StyleCategoryResponse } from './style-category.dto';

// Mirrors the processing lib's limit on a style's operations; their content is checked there.
const MAX_IMAGE_OPERATIONS = 16;

export class CreateStyleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  categoryId: string;

  @ApiProperty({ example: 'Watercolor' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ example: 'watercolor', description: 'Derived from the name when omitted' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and single hyphens' })
  @MaxLength(120)
  slug?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({
    example: '{prompt}, delicate {style_name} painting, soft washes, paper texture',
    description: 'Must contain {prompt}; may contain {style_name}',
  })
  @IsString()
  @MaxLength(4000)
  promptTemplate: string;

  @ApiPropertyOptional({ enum: STYLE_QUALITIES })
  @IsOptional()
  @IsIn(STYLE_QUALITIES)
  defaultQuality?: StyleQuality;

  @ApiPropertyOptional({ enum: STYLE_BACKGROUNDS })
  @IsOptional()
  @IsIn(STYLE_BACKGROUNDS)
  defaultBackground?: StyleBackground;

  @ApiPropertyOptional({ enum: STYLE_OUTPUT_FORMATS })
  @IsOptional()
  @IsIn(STYLE_OUTPUT_FORMATS)
  defaultOutputFormat?: StyleOutputFormat;

  @ApiPropertyOptional({ enum: STYLE_SIZES })
  @IsOptional()
  @IsIn(STYLE_SIZES)
  defaultSize?: StyleSize;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  supportsTransparency?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  premium?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  providerHints?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [
      { op: 'posterize', levels: 6 },
      { op: 'modulate', saturation: 1.4 },
    ],
    description: 'Operations the local provider applies for a style transfer',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_IMAGE_OPERATIONS)
  @IsObject({ each: true })
  imageOperations?: Record<string, unknown>[];
}

export class UpdateStyleDto extends PartialType(CreateStyleDto) {}

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class StyleListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Category slug or id' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional({ description: 'Words in the name or description' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  premium?: boolean;
}

export class PopularStylesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit = 10;
}

export class StyleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: StyleCategoryResponse, required: false }) category?: StyleCategoryResponse;
  @ApiProperty({ format: 'uuid' }) categoryId: string;
  @ApiProperty() promptTemplate: string;
  @ApiProperty({ enum: STYLE_QUALITIES }) defaultQuality: StyleQuality;
  @ApiProperty({ enum: STYLE_BACKGROUNDS }) defaultBackground: StyleBackground;
  @ApiProperty({ enum: STYLE_OUTPUT_FORMATS }) defaultOutputFormat: StyleOutputFormat;
  @ApiProperty({ enum: STYLE_SIZES }) defaultSize: StyleSize;
  @ApiProperty() supportsTransparency: boolean;
  @ApiProperty() premium: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) providerHints: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  imageOperations: unknown[];
  @ApiProperty() usageCount: number;
  @ApiProperty({ description: 'Average score, 0 when unrated' }) ratingAvg: number;
  @ApiProperty() ratingCount: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(style: Style): StyleResponse {
    return {
      id: style.id,
      name: style.name,
      slug: style.slug,
      description: style.description,
      ...(style.category ? { category: StyleCategoryResponse.of(style.category) } : {}),
      categoryId: style.categoryId,
      promptTemplate: style.promptTemplate,
      defaultQuality: style.defaultQuality,
      defaultBackground: style.defaultBackground,
      defaultOutputFormat: style.defaultOutputFormat,
      defaultSize: style.defaultSize,
      supportsTransparency: style.supportsTransparency,
      premium: style.premium,
      active: style.active,
      providerHints: style.providerHints,
      imageOperations: style.imageOperations,
      usageCount: style.usageCount,
      ratingAvg: style.ratingAvg,
      ratingCount: style.ratingCount,
      createdAt: style.createdAt.toISOString(),
      updatedAt: style.updatedAt.toISOString(),
    };
  }
}

export class StylePage {
  @ApiProperty({ type: [StyleResponse] }) items: StyleResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class PopularStyleResponse extends StyleResponse {
  @ApiProperty({ description: 'Distinct users who used the style in the last 30 days' }) recentUsers: number;
  @ApiProperty({ description: 'Recent users weighted by the (smoothed) rating; the sort key' })
  popularity: number;
}

export class PopularStyleList {
  @ApiProperty({ type: [PopularStyleResponse] }) items: PopularStyleResponse[];
}
