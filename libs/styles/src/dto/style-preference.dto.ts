import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '@atelier/core';
import type { UserStylePreference } from '../entities/user-style-preference.entity';
import { StyleResponse } from './style.dto';

export class RateStyleDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class StyleRatingResponse {
  @ApiProperty({ format: 'uuid' }) styleId: string;
  @ApiProperty() score: number;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ description: "The style's average after this rating" }) ratingAvg: number;
  @ApiProperty() ratingCount: number;
}

export class StylePreferenceQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only favourites (true) or only non-favourites (false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  favorite?: boolean;
}

export class StylePreferenceResponse {
  @ApiProperty({ format: 'uuid' }) styleId: string;
  @ApiProperty({ type: StyleResponse }) style: StyleResponse;
  @ApiProperty() favorite: boolean;
  @ApiProperty() usageCount: number;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty() updatedAt: string;

  static of(preference: UserStylePreference): StylePreferenceResponse {
    return {
      styleId: preference.styleId,
      style: StyleResponse.of(preference.style!),
      favorite: preference.favorite,
      usageCount: preference.usageCount,
      lastUsedAt: preference.lastUsedAt?.toISOString() ?? null,
      updatedAt: preference.updatedAt.toISOString(),
    };
  }
}

export class StylePreferencePage {
  @ApiProperty({ type: [StylePreferenceResponse] }) items: StylePreferenceResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
