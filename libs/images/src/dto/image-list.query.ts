import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '@atelier/core';
import { IMAGE_SOURCES, IMAGE_STATUSES, ImageSource, ImageStatus } from '../entities/image.entity';

export class ImageListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: IMAGE_STATUSES })
  @IsOptional()
  @IsIn(IMAGE_STATUSES)
  status?: ImageStatus;

  @ApiPropertyOptional({ enum: IMAGE_SOURCES })
  @IsOptional()
  @IsIn(IMAGE_SOURCES)
  source?: ImageSource;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  folderId?: string;

  @ApiPropertyOptional({ description: 'Only images with this tag (normalised)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tag?: string;

  @ApiPropertyOptional({ description: 'Only images you favorited' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  favorite?: boolean;

  @ApiPropertyOptional({ description: 'Words that must all appear in the title, prompt or tags' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString()
  createdTo?: string;
}
