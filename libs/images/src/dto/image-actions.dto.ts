import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ValidationAction } from '../sharing.service';
import type { ImageVariant } from '../image-content.service';

export class ValidateImageDto {
  @ApiProperty({ enum: ['validate', 'reject'] })
  @IsIn(['validate', 'reject'])
  action: ValidationAction;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class RateImageDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ImageContentQuery {
  @ApiPropertyOptional({ enum: ['original', 'thumbnail'], default: 'original' })
  @IsOptional()
  @IsIn(['original', 'thumbnail'])
  variant: ImageVariant = 'original';

  @ApiPropertyOptional({ description: '1 or true: send as an attachment and count a download' })
  @IsOptional()
  @Transform(({ value }) => value === '1' || value === 'true')
  download?: boolean;
}
