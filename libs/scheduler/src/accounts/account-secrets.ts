import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ProblemException, TokenCipher, type Env } from '@atelier/core';
import type { AccountCredentials } from '../publishers/publisher';
import { SchedulerErrorCode } from '../scheduler.errors';
import type { SocialAccount } from './social-account.entity';

type SecretColumn = 'accessTokenEnc' | 'refreshTokenEnc' | 'webhookSecretEnc';

/**
 * Encrypts and decrypts an account's secrets with TOKEN_ENCRYPTION_KEY. The account id and the
 * column name are the associated data, so a ciphertext moved to another row or column fails.
 */
@Injectable()
export class AccountSecrets {
  private readonly cipher: TokenCipher | null;

  constructor(config: ConfigService<Env, true>) {
    const key = config.get('TOKEN_ENCRYPTION_KEY', { infer: true });
    this.cipher = key ? new TokenCipher(key) : null;
  }

  seal(
    account: Pick<SocialAccount, 'id'>,
    column: SecretColumn,
    plain: string | null | undefined,
  ): string | null {
    if (plain === null || plain === undefined || plain === '') return null;
    return this.require().encrypt(plain, `${account.id}:${column}`);
  }

  open(account: SocialAccount): AccountCredentials {
    const read = (column: SecretColumn) => {
      const sealed = account[column];
      return sealed ? this.require().decrypt(sealed, `${account.id}:${column}`) : null;
    };
    return {
      account,
      accessToken: read('accessTokenEnc'),
      refreshToken: read('refreshTokenEnc'),
      webhookSecret: read('webhookSecretEnc'),
    };
  }

  private require(): TokenCipher {
    // Optional outside production (config refuses to start without it there): fail the request, not the boot.
    if (!this.cipher) {
      throw new ProblemException(
        503,
        SchedulerErrorCode.TokenEncryptionUnavailable,
        'Social accounts need TOKEN_ENCRYPTION_KEY to be configured.',
      );
    }
    return this.cipher;
  }
}
