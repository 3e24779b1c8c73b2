import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { Template } from '../templates/template.entity';
import { JOB_TYPES, type JobType } from '../processing.types';

export class CreateTemplateDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string;
  @ApiProperty({ enum: JOB_TYPES }) @IsIn(JOB_TYPES) jobType: JobType;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) provider?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) model?: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() defaultParams?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}

export class TemplateResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType: string;
  @ApiPropertyOptional({ type: String, nullable: true }) provider: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) model: string | null;
  @ApiProperty({ type: Object }) defaultParams: Record<string, unknown>;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static from(t: Template): TemplateResponse {
    return {
      id: t.id,
      name: t.name,
      description: t.description,
      jobType: t.jobType,
      provider: t.provider,
      model: t.model,
      defaultParams: t.defaultParams,
      active: t.active,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}
