import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** The form fields of POST /images besides the file (documented for Swagger as multipart). */
export class UploadImageDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PNG, JPEG, WebP or GIF' })
  file?: unknown;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to your default folder' })
  @IsOptional()
  @IsUUID()
  folderId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Repeat the field (or send comma-separated)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];
}
