import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import {
  ExternalServiceError,
  keysetPage,
  OutboundHttp,
  type Page,
  type PageQuery,
  ProblemException,
} from '@atelier/core';
import { platformDescriptor } from '../publishers/platform-descriptors';
import type { Publisher, VerifiedIdentity } from '../publishers/publisher';
import { PublisherRegistry } from '../publishers/publisher-registry';
import { SchedulerErrorCode } from '../scheduler.errors';
import { AccountSecrets } from './account-secrets';
import {
  CreatedSocialAccountDto,
  type CreateSocialAccountDto,
  SocialAccountDto,
  type UpdateSocialAccountDto,
} from './dto/social-account.dto';
import { SocialAccount } from './social-account.entity';
import { TokenRefresher } from './token-refresher';

const VERIFY_TIMEOUT_MS = 30_000;

@Injectable()
export class SocialAccountsService {
  constructor(
    @InjectRepository(SocialAccount) private readonly accounts: Repository<SocialAccount>,
    private readonly secrets: AccountSecrets,
    private readonly publishers: PublisherRegistry,
    private readonly tokens: TokenRefresher,
    private readonly outbound: OutboundHttp,
  ) {}

  list(ownerId: string, query: PageQuery): Promise<Page<SocialAccountDto>> {
    const qb = this.accounts.createQueryBuilder('account').where('account.ownerId = :ownerId', { ownerId });
    return keysetPage(qb, {
      sortColumn: 'account.createdAt',
      idColumn: 'account.id',
      limit: query.limit,
      cursor: query.cursor,
      map: SocialAccountDto.from,
    });
  }

  async findOwned(ownerId: string, id: string): Promise<SocialAccount> {
    const account = await this.accounts.findOneBy({ id, ownerId });
    if (!account)
      throw ProblemException.notFound(SchedulerErrorCode.AccountNotFound, 'Social account not found.');
    return account;
  }

  async create(ownerId: string, dto: CreateSocialAccountDto): Promise<CreatedSocialAccountDto> {
    const account = this.accounts.create({
      id: randomUUID(),
      ownerId,
      platform: dto.platform,
      externalId: dto.externalId ?? null,
      displayName: dto.displayName ?? '',
      instanceUrl: null,
      webhookUrl: null,
      tokenExpiresAt: dto.tokenExpiresAt ?? null,
      status: 'active',
      lastVerifiedAt: null,
    });
    const connect = platformDescriptor(dto.platform).connect;
    let webhookSecret: string | undefined;
    if (connect.kind === 'signedWebhook') {
      account.webhookUrl = await this.checkUserUrl(connect.userUrl, dto.webhookUrl);
      // Standard Webhooks secret format: whsec_ + base64 of 24..64 random bytes.
      webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
      account.webhookSecretEnc = this.secrets.seal(account, 'webhookSecretEnc', webhookSecret);
      account.displayName ||= new URL(account.webhookUrl).host;
    } else {
      if (!dto.accessToken)
        throw ProblemException.invalidField('accessToken', `is required for ${dto.platform}`);
      if (connect.userUrl) account.instanceUrl = await this.checkUserUrl(connect.userUrl, dto.instanceUrl);
      account.accessTokenEnc = this.secrets.seal(account, 'accessTokenEnc', dto.accessToken);
      account.refreshTokenEnc = this.secrets.seal(account, 'refreshTokenEnc', dto.refreshToken);
      if (!account.externalId || !account.displayName) {
        // Ask the platform who this token belongs to, which also proves the token works.
        const identity = await this.callVerify(account);
        account.externalId ??= identity.externalId;
        account.displayName ||= identity.displayName;
        account.lastVerifiedAt = new Date();
      }
    }
    const saved = await this.accounts.save(account);
    return { ...SocialAccountDto.from(saved), ...(webhookSecret ? { webhookSecret } : {}) };
  }

  async update(ownerId: string, id: string, dto: UpdateSocialAccountDto): Promise<SocialAccountDto> {
    const account = await this.findOwned(ownerId, id);
    if (dto.displayName !== undefined) account.displayName = dto.displayName;
    if (dto.externalId !== undefined) account.externalId = dto.externalId;
    if (dto.tokenExpiresAt !== undefined) account.tokenExpiresAt = dto.tokenExpiresAt;
    const connect = platformDescriptor(account.platform).connect;
    if (dto.instanceUrl !== undefined && connect.userUrl === 'instanceUrl')
      account.instanceUrl = await this.checkUserUrl('instanceUrl', dto.instanceUrl);
    if (dto.webhookUrl !== undefined && connect.userUrl === 'webhookUrl')
      account.webhookUrl = await this.checkUserUrl('webhookUrl', dto.webhookUrl);
    if (dto.accessToken !== undefined && connect.kind === 'token') {
      account.accessTokenEnc = this.secrets.seal(account, 'accessTokenEnc', dto.accessToken);
      // New credentials reconnect an account that had expired.
      if (account.status === 'expired') account.status = 'active';
    }
    if (dto.refreshToken !== undefined && connect.kind === 'token') {
      account.refreshTokenEnc = this.secrets.seal(account, 'refreshTokenEnc', dto.refreshToken);
    }
    return SocialAccountDto.from(await this.accounts.save(account));
  }

  async remove(ownerId: string, id: string): Promise<void> {
    const account = await this.findOwned(ownerId, id);
    // Posts and schedules of the account go with it (ON DELETE CASCADE).
    await this.accounts.delete({ id: account.id });
  }

  /**
   * Calls the platform's "who am I", renewing an expired access token first where the platform
   * allows; a token refused for good marks the account expired.
   */
  async verify(ownerId: string, id: string): Promise<SocialAccountDto> {
    const account = await this.findOwned(ownerId, id);
    const identity = await this.callVerify(account);
    // Only these columns: a token refresh above stored (or adopted) a new token pair in the row,
    // which saving this in-memory entity could overwrite with the spent one.
    await this.accounts.update(
      { id: account.id },
      {
        externalId: account.externalId ?? identity.externalId,
        displayName: account.displayName || identity.displayName,
        status: 'active',
        lastVerifiedAt: new Date(),
      },
    );
    return SocialAccountDto.from(await this.findOwned(ownerId, id));
  }

  /** Marks an account expired after a platform refused its token (publishing, analytics, verify). */
  async markExpired(accountId: string): Promise<void> {
    await this.accounts.update({ id: accountId, status: 'active' }, { status: 'expired' });
  }

  private async callVerify(account: SocialAccount): Promise<VerifiedIdentity> {
    try {
      return await this.verifyRefreshing(
        this.publishers.get(account.platform),
        account,
        AbortSignal.timeout(VERIFY_TIMEOUT_MS),
      );
    } catch (error) {
      if (!(error instanceof ExternalServiceError)) throw error;
      if (error.kind === 'auth') {
        if (account.createdAt) await this.markExpired(account.id);
        throw ProblemException.conflict(
          SchedulerErrorCode.TokenExpired,
          `The platform refused the token: ${error.message}`,
        );
      }
      throw new ProblemException(HttpStatus.BAD_GATEWAY, 'platform_unavailable', error.message);
    }
  }

  /**
   * As publishing does: a 401 on an expired access token is answered by one refresh and one more
   * call. Only a stored account is refreshed: the new pair must be saved where the spent refresh
   * token was (rotating platforms such as X accept each refresh token once).
   */
  private async verifyRefreshing(
    publisher: Publisher,
    account: SocialAccount,
    signal: AbortSignal,
  ): Promise<VerifiedIdentity> {
    const credentials = this.secrets.open(account);
    if (!account.createdAt) return publisher.verify(credentials, signal);
    return this.tokens.callRefreshing(publisher, credentials, signal, (current) =>
      publisher.verify(current, signal),
    );
  }

  /** Every address the server will call on the user's behalf goes through the outbound guard. */
  private checkUserUrl(field: 'webhookUrl' | 'instanceUrl', url: string | undefined): Promise<string> {
    return this.outbound.checkField(field, requireField(field, url), SchedulerErrorCode.UnsafeWebhookUrl);
  }
}

function requireField(field: string, value: string | undefined): string {
  if (!value) throw ProblemException.invalidField(field, 'is required for this platform');
  return value;
}
