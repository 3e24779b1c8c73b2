import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsSocialHandles, IsSmallJson } from './me.validators';

export class UpdateMeDto {
  @ApiPropertyOptional({ maxLength: 80 })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  displayName?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  bio?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Free-form UI settings (≤ 8 KB)',
  })
  @IsOptional()
  @IsObject()
  @IsSmallJson(8192)
  preferences?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { instagram: '@ada', x: '@ada' },
  })
  @IsOptional()
  @IsObject()
  @IsSocialHandles()
  socialHandles?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'Changing it marks the account unverified until the new address is confirmed',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class DeleteMeDto {
  @ApiProperty({ description: 'The current password, as confirmation' })
  @IsString()
  @MaxLength(512)
  password: string;
}

export class QuotaKindDto {
  @ApiProperty() limit: number;
  @ApiProperty() used: number;
  @ApiProperty() remaining: number;
}

export class QuotaUsageDto {
  @ApiProperty({ type: QuotaKindDto }) generation: QuotaKindDto;
  @ApiProperty({ type: QuotaKindDto }) edit: QuotaKindDto;
  @ApiProperty({ type: QuotaKindDto }) upload: QuotaKindDto;
}

export class QuotaPlanDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() premium: boolean;
}

export class QuotaReportDto {
  @ApiProperty({ type: QuotaPlanDto }) plan: QuotaPlanDto;
  @ApiProperty({ example: '2026-01-31', description: 'The UTC day counted' }) day: string;
  @ApiProperty({ description: 'Next UTC midnight' }) resetsAt: string;
  @ApiProperty({ type: QuotaUsageDto }) usage: QuotaUsageDto;
}
