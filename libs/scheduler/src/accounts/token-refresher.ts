import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExternalErrorCode, ExternalServiceError } from '@atelier/core';
import type { AccountCredentials, Publisher } from '../publishers/publisher';
import { AccountSecrets } from './account-secrets';
import { SocialAccount } from './social-account.entity';

/**
 * Renews an account's access token with its refresh token. Platforms that rotate refresh tokens (X)
 * accept each one once, so the new pair is stored with a conditional UPDATE on the old refresh
 * token: when two processes refresh at once, the loser's UPDATE matches nothing (or its refresh is
 * refused) and it adopts the tokens the winner stored instead of overwriting them.
 */
@Injectable()
export class TokenRefresher {
  constructor(
    @InjectRepository(SocialAccount) private readonly accounts: Repository<SocialAccount>,
    private readonly secrets: AccountSecrets,
  ) {}

  canRefresh(publisher: Publisher, credentials: AccountCredentials): boolean {
    return Boolean(publisher.refreshTokens && credentials.refreshToken);
  }

  /**
   * Makes a platform call; when the platform refuses the token (`auth`, and only then: every refresh
   * spends X's single-use refresh token) it renews the token once and calls again. A second `auth`
   * refusal with a token the platform has just issued is not about the token, so it is reported as
   * `rejected`: the account stays active and no further refresh follows.
   */
  async callRefreshing<T>(
    publisher: Publisher,
    credentials: AccountCredentials,
    signal: AbortSignal,
    call: (credentials: AccountCredentials) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(credentials);
    } catch (error) {
      if (!isAuthFailure(error) || !this.canRefresh(publisher, credentials)) throw error;
    }
    const renewed = await this.refresh(publisher, credentials, signal);
    try {
      return await call(renewed);
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      throw new ExternalServiceError({
        kind: 'rejected',
        code: ExternalErrorCode.PermissionDenied,
        service: error.service,
        status: error.status,
        message: `${error.message} (refused again with a freshly issued token, so not a token problem)`,
        providerRequestId: error.providerRequestId,
        details: error.details,
        cause: error,
      });
    }
  }

  async refresh(
    publisher: Publisher,
    credentials: AccountCredentials,
    signal: AbortSignal,
  ): Promise<AccountCredentials> {
    const account = credentials.account;
    let tokens;
    try {
      tokens = await publisher.refreshTokens!(credentials, signal);
    } catch (error) {
      const rotated = await this.rotatedElsewhere(account);
      if (rotated) return rotated;
      if (error instanceof ExternalServiceError && error.kind === 'retryable') throw error;
      throw new ExternalServiceError({
        kind: 'auth',
        code: ExternalErrorCode.TokenExpired,
        service: account.platform,
        message: `${account.platform}: the refresh token was refused; reconnect the account`,
        cause: error,
      });
    }
    const changes = {
      accessTokenEnc: this.secrets.seal(account, 'accessTokenEnc', tokens.accessToken),
      refreshTokenEnc: tokens.refreshToken
        ? this.secrets.seal(account, 'refreshTokenEnc', tokens.refreshToken)
        : account.refreshTokenEnc,
      tokenExpiresAt: tokens.expiresAt,
    };
    const stored = await this.accounts.update(
      { id: account.id, refreshTokenEnc: account.refreshTokenEnc! },
      changes,
    );
    if (!stored.affected) return (await this.rotatedElsewhere(account)) ?? credentials;
    return this.secrets.open(Object.assign(account, changes));
  }

  /** Fresh credentials when another process already replaced the refresh token we hold. */
  private async rotatedElsewhere(account: SocialAccount): Promise<AccountCredentials | null> {
    const current = await this.accounts.findOneBy({ id: account.id });
    if (!current || current.refreshTokenEnc === account.refreshTokenEnc) return null;
    return this.secrets.open(current);
  }
}

function isAuthFailure(error: unknown): error is ExternalServiceError {
  return error instanceof ExternalServiceError && error.kind === 'auth';
}
