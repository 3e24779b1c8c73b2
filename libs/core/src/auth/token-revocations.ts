import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config';
import { EventBus } from '../events';

/** What the guard knows about a verified access token. */
export interface IssuedToken {
  sub: string;
  /** Session (refresh-token family) id; absent in tokens not issued by a session. */
  sid?: string;
  /** Issued-at, epoch seconds. */
  iat?: number;
}

/**
 * Access tokens are stateless JWTs, so ending a session would leave them working until they
 * expire. Revocations are kept in Redis (shared by every api process) for one access-token
 * lifetime, after which the tokens they concern have expired anyway: a revoked session id, or
 * "every token of this user issued before t" (account deletion, deactivation). The guard reads
 * both in one MGET per request.
 */
@Injectable()
export class TokenRevocations {
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly bus: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:revoked:`;
    // One second of slack: `iat` is rounded down to the second.
    this.ttlSeconds = config.get('JWT_ACCESS_TTL_SECONDS', { infer: true }) + 1;
  }

  async revokeSessions(sessionIds: string[]): Promise<void> {
    if (!sessionIds.length) return;
    const batch = this.bus.client.multi();
    for (const sid of sessionIds) batch.set(this.sessionKey(sid), '1', 'EX', this.ttlSeconds);
    await batch.exec();
  }

  /** Every access token of the user issued up to now stops working. */
  async revokeUser(userId: string): Promise<void> {
    await this.bus.client.set(this.userKey(userId), String(Date.now()), 'EX', this.ttlSeconds);
  }

  async isRevoked(token: IssuedToken): Promise<boolean> {
    const [revokedBefore, sessionRevoked] = await this.bus.client.mget(
      this.userKey(token.sub),
      token.sid ? this.sessionKey(token.sid) : this.sessionKey('-'),
    );
    if (sessionRevoked) return true;
    // Tokens issued in the revocation's own second are refused too: `iat` cannot tell them apart.
    return revokedBefore !== null && (token.iat ?? 0) * 1000 <= Number(revokedBefore);
  }

  private sessionKey(sid: string): string {
    return `${this.prefix}sid:${sid}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }
}
