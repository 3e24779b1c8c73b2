import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { Env, generateOpaqueToken, hashToken, ProblemException, TokenRevocations } from '@atelier/core';
import type { User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { RefreshToken } from './refresh-token.entity';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

/** Claims in our access tokens: core's `{sub, role}` plus the session (family) id. */
export interface SessionClaims {
  sub: string;
  role: string;
  sid: string;
}

/**
 * Sessions are refresh-token families. Every refresh rotates the token; a rotated token presented
 * again can only be a copy (theft or a replay), so the whole family is revoked. Revoking a family
 * also revokes the access tokens carrying its id (`sid`), at once (TokenRevocations).
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Env, true>,
    private readonly revocations: TokenRevocations,
  ) {}

  /** Starts a new session (login). */
  start(user: Pick<User, 'id' | 'role'>): Promise<TokenPair> {
    return this.issue(user, randomUUID());
  }

  /**
   * Exchanges a refresh token for a new pair. The conditional UPDATE makes two concurrent refreshes
   * with one token behave as a reuse: exactly one wins, the other revokes the family.
   */
  async rotate(refreshToken: string, loadUser: (id: string) => Promise<User | null>): Promise<TokenPair> {
    const current = await this.tokens.findOneBy({ tokenHash: hashToken(refreshToken) });
    if (!current || current.revokedAt || current.expiresAt <= new Date()) throw invalidRefresh();
    const [claimed] = (await this.db.query(
      `UPDATE refresh_tokens SET rotated_at = now()
       WHERE id = $1 AND rotated_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [current.id],
    )) as [unknown[], number];
    if (!claimed.length) {
      await this.revokeFamily(current.familyId);
      this.logger.warn(
        { userId: current.userId, familyId: current.familyId },
        'Refresh token reused: session revoked',
      );
      throw ProblemException.unauthorized(
        UsersErrorCode.RefreshTokenReused,
        'This refresh token was already used; the session has been revoked. Sign in again.',
      );
    }
    const user = await loadUser(current.userId);
    if (!user) {
      await this.revokeFamily(current.familyId);
      throw invalidRefresh();
    }
    return this.issue(user, current.familyId);
  }

  /** Logout: revokes the session the token belongs to. Unknown tokens are ignored. */
  async end(refreshToken: string): Promise<void> {
    const token = await this.tokens.findOneBy({ tokenHash: hashToken(refreshToken) });
    if (token) await this.revokeFamily(token.familyId);
  }

  /**
   * Revokes every session of the user except `keepFamilyId` (password change keeps the caller's):
   * their refresh tokens and, at once, their access tokens. Used by password reset and change,
   * account erasure and an administrator's deactivation.
   */
  async endAll(userId: string, keepFamilyId?: string): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE refresh_tokens SET revoked_at = now()
       WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)
       RETURNING family_id`,
      [userId, keepFamilyId ?? null],
    )) as [Array<{ family_id: string }>, number];
    await this.revocations.revokeSessions([...new Set(rows.map((row) => row.family_id))]);
  }

  /** The session id inside an access token this process signed (no verification of expiry needed). */
  sessionOf(accessToken: string | undefined): string | undefined {
    if (!accessToken) return undefined;
    const claims = this.jwt.decode<SessionClaims | null>(accessToken);
    return claims?.sid;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.query(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId],
    );
    await this.revocations.revokeSessions([familyId]);
  }

  private async issue(user: Pick<User, 'id' | 'role'>, familyId: string): Promise<TokenPair> {
    const refreshToken = generateOpaqueToken();
    const ttlDays = this.config.get('REFRESH_TTL_DAYS', { infer: true });
    await this.tokens.insert({
      userId: user.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(Date.now() + ttlDays * 24 * 60 * 60 * 1000),
    });
    const claims: SessionClaims = { sub: user.id, role: user.role, sid: familyId };
    return {
      accessToken: await this.jwt.signAsync(claims),
      refreshToken,
      expiresIn: this.config.get('JWT_ACCESS_TTL_SECONDS', { infer: true }),
      tokenType: 'Bearer',
    };
  }
}

const invalidRefresh = () =>
  ProblemException.unauthorized(
    UsersErrorCode.InvalidRefreshToken,
    'The refresh token is invalid or expired.',
  );
