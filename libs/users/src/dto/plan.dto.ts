import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PROVIDER_NAMES } from '@atelier/core';
import type { Plan } from '../plans/plan.entity';

export class CreatePlanDto {
  @ApiProperty({ example: 'pro' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'slug must be lower-case letters, digits and dashes' })
  slug: string;

  @ApiProperty({ example: 'Pro' })
  @IsString()
  @MaxLength(80)
  name: string;

  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) priceCents: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) dailyGenerations: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) dailyEdits: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) dailyUploads: number;
  @ApiProperty({ minimum: 64, maximum: 8192 }) @IsInt() @Min(64) @Max(8192) maxImageSide: number;

  @ApiProperty({ enum: PROVIDER_NAMES, isArray: true })
  @IsArray()
  @ArrayMaxSize(PROVIDER_NAMES.length)
  @IsIn(PROVIDER_NAMES, { each: true })
  allowedProviders: string[];

  @ApiProperty({ minimum: 1, maximum: 64 }) @IsInt() @Min(1) @Max(64) concurrency: number;

  @ApiProperty({ minimum: 1, maximum: 100, description: 'Bull priority: 1 is served first' })
  @IsInt()
  @Min(1)
  @Max(100)
  queuePriority: number;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() premium?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdatePlanDto extends PartialType(CreatePlanDto) {}

export class AssignPlanDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  planId: string;
}

export class PlanDto extends CreatePlanDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() declare premium: boolean;
  @ApiProperty() declare active: boolean;

  static from(plan: Plan): PlanDto {
    return {
      id: plan.id,
      slug: plan.slug,
      name: plan.name,
      priceCents: plan.priceCents,
      dailyGenerations: plan.dailyGenerations,
      dailyEdits: plan.dailyEdits,
      dailyUploads: plan.dailyUploads,
      maxImageSide: plan.maxImageSide,
      allowedProviders: plan.allowedProviders,
      concurrency: plan.concurrency,
      queuePriority: plan.queuePriority,
      premium: plan.premium,
      active: plan.active,
    };
  }
}

/** The list shape every list shares; plans fit on one page, so `nextCursor` is always null. */
export class PlanList {
  @ApiProperty({ type: [PlanDto] }) items: PlanDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
