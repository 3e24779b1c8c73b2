import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, EventBus, hashToken, ProblemException } from '@atelier/core';
import { UsersErrorCode } from '../users.errors';

const WINDOW_SECONDS = 60;

export type RateLimitScope = 'login' | 'password-failures' | 'register' | 'forgot' | 'resend' | 'refresh';

/**
 * Fixed one-minute windows counted in Redis (INCR + EXPIRE), so the limits hold across every api
 * process. Keys live under QUEUE_PREFIX; account keys are hashed so Redis holds no emails.
 */
@Injectable()
export class RateLimiter {
  private readonly prefix: string;
  private readonly limit: number;

  constructor(
    private readonly bus: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:ratelimit:`;
    this.limit = config.get('RATE_LIMIT_AUTH_PER_MINUTE', { infer: true });
  }

  /** Counts one attempt for each key; 429 with Retry-After once any key is over the limit. */
  async hit(scope: RateLimitScope, ...keys: (string | undefined)[]): Promise<void> {
    for (const key of keys) {
      if (!key) continue;
      const redisKey = this.key(scope, key);
      const result = await this.bus.client
        .multi()
        .set(redisKey, '0', 'EX', WINDOW_SECONDS, 'NX')
        .incr(redisKey)
        .ttl(redisKey)
        .exec();
      const count = Number(result?.[1]?.[1] ?? 0);
      if (count > this.limit) throw tooMany(Number(result?.[2]?.[1] ?? WINDOW_SECONDS));
    }
  }

  /** 429 when the key already reached the limit, without counting (e.g. failed logins). */
  async assertUnder(scope: RateLimitScope, key: string): Promise<void> {
    const redisKey = this.key(scope, key);
    const [[, count], [, ttl]] = ((await this.bus.client.multi().get(redisKey).ttl(redisKey).exec()) ??
      []) as [[unknown, string | null], [unknown, number]];
    if (Number(count ?? 0) >= this.limit) throw tooMany(ttl);
  }

  /**
   * Runs one password check under the account's failure limit, shared by login, password change
   * and account deletion: once the limit of failures is reached in the window every check is a 429
   * (the right password included), so a stolen access token cannot guess the password either.
   * A failure counts, a success clears. `account` is the resolved user id where there is one.
   */
  async checkPassword(account: string, check: () => Promise<boolean>): Promise<boolean> {
    await this.assertUnder('password-failures', account);
    if (await check()) {
      await this.clear('password-failures', account);
      return true;
    }
    // The failure is answered as such even when a concurrent attempt took the last slot.
    await this.hit('password-failures', account).catch(() => undefined);
    return false;
  }

  async clear(scope: RateLimitScope, key: string): Promise<void> {
    await this.bus.client.del(this.key(scope, key));
  }

  private key(scope: RateLimitScope, key: string): string {
    return `${this.prefix}${scope}:${hashToken(key.toLowerCase()).slice(0, 32)}`;
  }
}

function tooMany(ttlSeconds: number): ProblemException {
  const retryAfter = ttlSeconds > 0 ? ttlSeconds : WINDOW_SECONDS;
  return new ProblemException(
    HttpStatus.TOO_MANY_REQUESTS,
    UsersErrorCode.RateLimited,
    `Too many attempts; try again in ${retryAfter} s.`,
    { headers: { 'retry-after': String(retryAfter) }, extensions: { retryAfter } },
  );
}
