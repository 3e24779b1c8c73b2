import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { generateOpaqueToken, hashToken, ProblemException } from '@atelier/core';
import { UsersErrorCode } from '../users.errors';
import { UserToken, UserTokenPurpose } from './user-token.entity';

const TTL_MS: Record<UserTokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

/** Single-use mailed tokens: handed out once in clear, stored as SHA-256, spent atomically. */
@Injectable()
export class EmailTokensService {
  constructor(@InjectRepository(UserToken) private readonly tokens: Repository<UserToken>) {}

  /** A new token; earlier unused tokens of the same purpose stop working. */
  async issue(
    userId: string,
    purpose: UserTokenPurpose,
    email: string | null = null,
  ): Promise<{ id: string; token: string }> {
    await this.tokens.update({ userId, purpose, usedAt: IsNull() }, { usedAt: new Date() });
    const token = generateOpaqueToken();
    const row = await this.tokens.save(
      this.tokens.create({
        userId,
        purpose,
        email,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + TTL_MS[purpose]),
      }),
    );
    return { id: row.id, token };
  }

  /** The user a still-valid token belongs to, without spending it (to validate input first). */
  async peek(token: string, purpose: UserTokenPurpose): Promise<UserToken> {
    const row = await this.tokens.findOneBy({ tokenHash: hashToken(token), purpose, usedAt: IsNull() });
    if (!row || row.expiresAt <= new Date()) throw invalidToken();
    return row;
  }

  /** Marks the token used and returns it; 400 when unknown, used or expired (one answer for all). */
  async spend(token: string, purpose: UserTokenPurpose): Promise<UserToken> {
    // One conditional UPDATE, so two requests racing with the same link cannot both succeed.
    const result = await this.tokens
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('token_hash = :hash AND purpose = :purpose', { hash: hashToken(token), purpose })
      .andWhere('used_at IS NULL AND expires_at > now()')
      .returning(['id', 'userId', 'email'])
      .execute();
    const row = (result.raw as { id: string; user_id: string; email: string | null }[])[0];
    if (!row) throw invalidToken();
    return Object.assign(new UserToken(), { id: row.id, userId: row.user_id, email: row.email, purpose });
  }
}

const invalidToken = () =>
  ProblemException.badRequest(UsersErrorCode.InvalidToken, 'This link is invalid, used or expired.');
