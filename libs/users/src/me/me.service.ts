import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { AccountMails } from '../auth/account-mails';
import { verifyPassword } from '../auth/password-hasher';
import { RateLimiter } from '../auth/rate-limiter';
import { normalizeEmail, User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { UsersService } from '../users.service';
import { AccountErasureService } from './account-erasure.service';

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
  preferences?: Record<string, unknown>;
  socialHandles?: Record<string, string>;
  email?: string;
}

/** The signed-in user's own account: profile, email change, deletion. */
@Injectable()
export class MeService {
  constructor(
    @InjectRepository(User) private readonly repository: Repository<User>,
    private readonly users: UsersService,
    private readonly mails: AccountMails,
    private readonly erasure: AccountErasureService,
    private readonly limiter: RateLimiter,
  ) {}

  /** 401 (not 404) when the account behind a still-valid token was deleted. */
  async get(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user)
      throw ProblemException.unauthorized(UsersErrorCode.AccountGone, 'This account no longer exists.');
    return user;
  }

  /** A new email takes effect at once but must be verified again; the link goes to the new address. */
  async update(userId: string, changes: ProfileChanges): Promise<User> {
    const user = await this.get(userId);
    const { email, ...profile } = changes;
    const newEmail = email !== undefined ? normalizeEmail(email) : undefined;
    const emailChanged = newEmail !== undefined && newEmail !== user.email;
    if (emailChanged) await this.users.assertAvailable({ email: newEmail }, user.id);
    Object.assign(user, profile, emailChanged ? { email: newEmail, emailVerifiedAt: null } : {});
    await this.repository.save(user);
    if (emailChanged) await this.mails.sendVerification(user.id, newEmail);
    return this.get(userId);
  }

  /** The owner deletes their account, proving it with their password (AccountErasureService). */
  async delete(userId: string, password: string): Promise<void> {
    const user = await this.get(userId);
    const hash = await this.users.passwordHashOf(userId);
    if (!hash) {
      throw ProblemException.badRequest(
        UsersErrorCode.PasswordNotSet,
        'This account has no password; delete it at your identity provider.',
      );
    }
    if (!(await this.limiter.checkPassword(`user:${userId}`, () => verifyPassword(hash, password)))) {
      throw new ProblemException(400, UsersErrorCode.WrongPassword, 'The password is wrong.', {
        errors: [{ field: 'password', message: 'is wrong' }],
      });
    }
    await this.erasure.erase(user.id);
  }
}
