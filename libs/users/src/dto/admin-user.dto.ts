import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '@atelier/core';
import type { AdminAuditEntry } from '../admin/admin-audit-entry.entity';
import type { User } from '../user.entity';
import { QuotaReportDto } from './me.dto';

export const USER_STATUSES = ['active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
const ROLES = ['user', 'admin'] as const;

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the email or username (case-insensitive)', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: 'user' | 'admin';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
  @ApiPropertyOptional({ enum: USER_STATUSES }) @IsOptional() @IsIn(USER_STATUSES) status?: UserStatus;
}

export class UpdateUserByAdminDto {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: 'user' | 'admin';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
}

/** A user as administrators see it: account facts, never secrets. */
export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: 'user' | 'admin';
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) planId: string | null;
  @ApiProperty({ enum: USER_STATUSES }) status: UserStatus;
  @ApiProperty() emailVerified: boolean;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Signs in through the identity provider',
  })
  externalId: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) deactivatedAt: string | null;
  @ApiProperty() createdAt: string;

  static from(user: User): AdminUserDto {
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      planId: user.planId,
      status: user.deactivatedAt ? 'deactivated' : 'active',
      emailVerified: user.emailVerifiedAt !== null,
      externalId: user.externalId,
      deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

export class AdminUserPage {
  @ApiProperty({ type: AdminUserDto, isArray: true }) items: AdminUserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AdminUserUsageDto {
  @ApiProperty({ type: QuotaReportDto }) quota: QuotaReportDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { images: 12, jobs: 30 },
    description: 'What the user owns, per feature',
  })
  counts: Record<string, number>;
}

export class AdminUserDetailDto extends AdminUserDto {
  @ApiProperty({ type: AdminUserUsageDto }) usage: AdminUserUsageDto;
}

export class ListAuditLogQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only actions on this user' })
  @IsOptional()
  @IsUUID()
  targetUserId?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The administrator who acted' }) actorId: string;
  @ApiProperty({ example: 'user.deactivated' }) action: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) targetUserId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty() createdAt: string;

  static from(entry: AdminAuditEntry): AuditEntryDto {
    return {
      id: entry.id,
      actorId: entry.actorId,
      action: entry.action,
      targetUserId: entry.targetUserId,
      details: entry.details,
      createdAt: entry.createdAt.toISOString(),
    };
  }
}

export class AuditPage {
  @ApiProperty({ type: AuditEntryDto, isArray: true }) items: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
