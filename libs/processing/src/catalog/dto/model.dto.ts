import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PROVIDER_NAMES, type ProviderName } from '@atelier/core';
import { Model } from '../model.entity';

export const KIND_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export class CreateModelDto {
  @ApiProperty({ example: 'SDXL base 1.0' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ enum: PROVIDER_NAMES })
  @IsIn(PROVIDER_NAMES)
  provider: ProviderName;

  @ApiProperty({ example: 'sd_xl_base_1.0.safetensors', description: 'Checkpoint name or API model id' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  identifier: string;

  @ApiPropertyOptional({ example: 'checkpoint', default: 'checkpoint' })
  @IsOptional()
  @Matches(KIND_PATTERN, { message: 'type must be lowercase letters, digits, _ and -' })
  @MaxLength(40)
  type?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiPropertyOptional({
    example: { ckpt_name: 'sd_xl_base_1.0.safetensors' },
    description: "The model's own values, merged into the values of workflows that run on it",
  })
  @IsOptional()
  @IsObject()
  parameterDefinitions?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateModelDto extends PartialType(CreateModelDto) {}

export class ModelResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PROVIDER_NAMES }) provider: string;
  @ApiProperty() identifier: string;
  @ApiProperty() type: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: Object }) parameterDefinitions: Record<string, unknown>;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(model: Model): ModelResponse {
    return {
      id: model.id,
      name: model.name,
      provider: model.provider,
      identifier: model.identifier,
      type: model.type,
      description: model.description,
      parameterDefinitions: model.parameterDefinitions,
      active: model.active,
      createdAt: model.createdAt.toISOString(),
      updatedAt: model.updatedAt.toISOString(),
    };
  }
}

export class ModelPage {
  @ApiProperty({ type: [ModelResponse] }) items: ModelResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
