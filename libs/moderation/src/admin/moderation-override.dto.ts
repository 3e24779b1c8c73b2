import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MODERATION_STATES, type ModerationLabel, type ModerationState } from '@atelier/images';
import type { ModerationAudit } from './moderation-audit.entity';

export const OVERRIDE_VERDICTS = ['safe', 'flagged'] as const;
export type OverrideVerdict = (typeof OVERRIDE_VERDICTS)[number];

export class ModerationOverrideDto {
  @ApiProperty({ enum: OVERRIDE_VERDICTS })
  @IsIn(OVERRIDE_VERDICTS)
  verdict: OverrideVerdict;

  @ApiPropertyOptional({ maxLength: 1000, example: 'False positive: classical statue' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ModerationAuditResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) imageId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) adminId: string | null;
  @ApiProperty({ enum: MODERATION_STATES }) fromState: ModerationState;
  @ApiProperty({ enum: MODERATION_STATES }) toState: ModerationState;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() createdAt: string;

  static of(audit: ModerationAudit): ModerationAuditResponse {
    const { id, imageId, adminId, fromState, toState, reason } = audit;
    return { id, imageId, adminId, fromState, toState, reason, createdAt: audit.createdAt.toISOString() };
  }
}

export class ImageModerationResponse {
  @ApiProperty({ format: 'uuid' }) imageId: string;
  @ApiProperty({ enum: MODERATION_STATES }) moderationState: ModerationState;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) moderationLabels: ModerationLabel[];
  @ApiProperty() isPublic: boolean;
  @ApiProperty({ type: [ModerationAuditResponse], description: 'Overrides, latest first' })
  history: ModerationAuditResponse[];
}
