import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { UsersService } from '../users.service';
import { AccountMails } from './account-mails';
import { EmailTokensService } from './email-tokens.service';
import { hashPassword, verifyPassword } from './password-hasher';
import { RateLimiter } from './rate-limiter';
import { assertPasswordAcceptable } from './registration.service';

/** Forgotten, reset and changed passwords. A new password always ends other sessions. */
@Injectable()
export class PasswordService {
  constructor(
    @InjectRepository(User) private readonly repository: Repository<User>,
    private readonly users: UsersService,
    private readonly tokens: EmailTokensService,
    private readonly mails: AccountMails,
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
  ) {}

  /** Mails a reset link if the account exists, after the caller has answered 202 either way. */
  async forgot(email: string, ip: string): Promise<void> {
    await this.limiter.hit('forgot', `ip:${ip}`, `email:${email.trim().toLowerCase()}`);
    this.mails.afterAnswer('password reset', async () => {
      const user = await this.users.findByEmail(email);
      if (user) await this.mails.sendPasswordReset(user.id, user.email);
    });
  }

  async reset(token: string, password: string): Promise<void> {
    // Check the new password before spending the token, so a refused password keeps the link usable.
    const pending = await this.tokens.peek(token, 'reset_password');
    const user = await this.users.getById(pending.userId);
    assertPasswordAcceptable('password', password, user);
    const spent = await this.tokens.spend(token, 'reset_password');
    await this.repository.update(spent.userId, {
      passwordHash: await hashPassword(password),
      // Following the mailed link proves the address, as verification would.
      emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
    });
    await this.sessions.endAll(spent.userId);
  }

  async change(
    userId: string,
    currentPassword: string,
    newPassword: string,
    sessionId?: string,
  ): Promise<void> {
    const user = await this.users.getById(userId);
    const hash = await this.users.passwordHashOf(userId);
    if (!(await this.limiter.checkPassword(`user:${userId}`, () => verifyPassword(hash, currentPassword)))) {
      throw new ProblemException(400, UsersErrorCode.WrongPassword, 'The current password is wrong.', {
        errors: [{ field: 'currentPassword', message: 'is wrong' }],
      });
    }
    assertPasswordAcceptable('newPassword', newPassword, user);
    await this.repository.update(userId, { passwordHash: await hashPassword(newPassword) });
    await this.sessions.endAll(userId, sessionId);
  }
}
