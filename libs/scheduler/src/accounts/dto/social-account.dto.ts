import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { IsTimestamp } from '@atelier/core';
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../../publishers/platform-descriptors';
import {
  SOCIAL_ACCOUNT_STATUSES,
  type SocialAccount,
  type SocialAccountStatus,
} from '../social-account.entity';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class CreateSocialAccountDto {
  @ApiProperty({ enum: SOCIAL_PLATFORMS })
  @IsIn(SOCIAL_PLATFORMS)
  platform: SocialPlatform;

  @ApiPropertyOptional({ description: 'Defaults to the name the platform reports (verify)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  displayName?: string;

  @ApiPropertyOptional({
    description:
      'Instagram user id, Facebook page id, LinkedIn author URN; X and Mastodon ids are read from the platform when omitted',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  externalId?: string;

  @ApiPropertyOptional({ description: 'Platform access token (stored encrypted, never returned)' })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  accessToken?: string;

  @ApiPropertyOptional({ description: 'Refresh token (stored encrypted, never returned)' })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  refreshToken?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  tokenExpiresAt?: Date;

  @ApiPropertyOptional({ description: 'Mastodon: the instance base URL, e.g. https://mastodon.social' })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  instanceUrl?: string;

  @ApiPropertyOptional({ description: 'Webhook: a public http(s) URL you own' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  webhookUrl?: string;
}

export class UpdateSocialAccountDto extends PartialType(
  PickType(CreateSocialAccountDto, [
    'displayName',
    'externalId',
    'accessToken',
    'refreshToken',
    'tokenExpiresAt',
    'instanceUrl',
    'webhookUrl',
  ] as const),
) {}

export class SocialAccountDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: SOCIAL_PLATFORMS }) platform: SocialPlatform;
  @ApiProperty({ nullable: true, type: String }) externalId: string | null;
  @ApiProperty() displayName: string;
  @ApiProperty({ nullable: true, type: String }) instanceUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) webhookUrl: string | null;
  @ApiProperty({ enum: SOCIAL_ACCOUNT_STATUSES }) status: SocialAccountStatus;
  @ApiProperty() hasAccessToken: boolean;
  @ApiProperty() hasRefreshToken: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) tokenExpiresAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastVerifiedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;

  static from(account: SocialAccount): SocialAccountDto {
    return {
      id: account.id,
      platform: account.platform,
      externalId: account.externalId,
      displayName: account.displayName,
      instanceUrl: account.instanceUrl,
      webhookUrl: account.webhookUrl,
      status: account.status,
      hasAccessToken: account.accessTokenEnc !== null,
      hasRefreshToken: account.refreshTokenEnc !== null,
      tokenExpiresAt: account.tokenExpiresAt,
      lastVerifiedAt: account.lastVerifiedAt,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    };
  }
}

export class CreatedSocialAccountDto extends SocialAccountDto {
  @ApiPropertyOptional({
    description:
      'Webhook accounts only: the Standard Webhooks signing secret (whsec_…). Shown once, store it now.',
  })
  webhookSecret?: string;
}

export class SocialAccountPageDto {
  @ApiProperty({ type: [SocialAccountDto] }) items: SocialAccountDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
