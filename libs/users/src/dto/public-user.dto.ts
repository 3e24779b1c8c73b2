import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { User } from '../user.entity';

/** A user as the user themself sees it (never a hash). */
export class PublicUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty() bio: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) preferences: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  socialHandles: Record<string, string>;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'URL of the 256 px avatar' })
  avatarUrl: string | null;
  @ApiProperty({ enum: ['user', 'admin'] }) role: 'user' | 'admin';
  @ApiProperty() emailVerified: boolean;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) planId: string | null;
  @ApiProperty() createdAt: string;

  static from(user: User): PublicUserDto {
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      displayName: user.displayName,
      bio: user.bio,
      preferences: user.preferences,
      socialHandles: user.socialHandles,
      avatarUrl: user.avatarKey ? `/api/v1/users/${user.id}/avatar?v=${user.updatedAt.getTime()}` : null,
      role: user.role,
      emailVerified: user.emailVerifiedAt !== null,
      planId: user.planId,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
