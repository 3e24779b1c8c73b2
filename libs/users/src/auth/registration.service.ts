import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation, ProblemException } from '@atelier/core';
import { PlansService } from '../plans/plans.service';
import { normalizeEmail, User, usernameKeyOf } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { UsersService } from '../users.service';
import { AccountMails } from './account-mails';
import { EmailTokensService } from './email-tokens.service';
import { RateLimiter } from './rate-limiter';
import { hashPassword } from './password-hasher';
import { checkPassword } from './password-policy';

export interface Registration {
  email: string;
  username: string;
  password: string;
  displayName?: string;
}

/** Sign-up and email verification. */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectRepository(User) private readonly repository: Repository<User>,
    private readonly users: UsersService,
    private readonly plans: PlansService,
    private readonly tokens: EmailTokensService,
    private readonly mails: AccountMails,
    private readonly limiter: RateLimiter,
  ) {}

  async register(input: Registration, ip: string): Promise<User> {
    const email = normalizeEmail(input.email);
    await this.limiter.hit('register', `ip:${ip}`, `email:${email}`);
    const username = input.username.trim();
    assertPasswordAcceptable('password', input.password, { email, username });
    await this.users.assertAvailable({ email, username });
    const plan = await this.plans.defaultPlan();
    const user = this.repository.create({
      email,
      username,
      usernameKey: usernameKeyOf(username),
      displayName: input.displayName?.trim() || username,
      passwordHash: await hashPassword(input.password),
      planId: plan.id,
    });
    try {
      await this.repository.save(user);
    } catch (error) {
      // Two sign-ups racing past assertAvailable: the unique index decides.
      throw uniqueViolation(error) ?? error;
    }
    await this.mails.sendVerification(user.id, email);
    return this.users.getById(user.id);
  }

  async verifyEmail(token: string): Promise<User> {
    const spent = await this.tokens.spend(token, 'verify_email');
    const user = await this.users.findById(spent.userId);
    // A token mailed to an address the account no longer has proves nothing about the current one.
    if (!user || (spent.email && spent.email !== user.email)) {
      throw ProblemException.badRequest(
        UsersErrorCode.InvalidToken,
        'This link is invalid, used or expired.',
      );
    }
    if (!user.emailVerifiedAt) await this.repository.update(user.id, { emailVerifiedAt: new Date() });
    return this.users.getById(user.id);
  }

  /** Always succeeds from the caller's point of view (mailing after the answer), so it cannot probe accounts. */
  async resendVerification(email: string, ip: string): Promise<void> {
    await this.limiter.hit('resend', `ip:${ip}`, `email:${normalizeEmail(email)}`);
    this.mails.afterAnswer('verification', async () => {
      const user = await this.users.findByEmail(email);
      if (user && !user.emailVerifiedAt) await this.mails.sendVerification(user.id, user.email);
    });
  }
}

/** 400 with a field error when the password breaks the policy. */
export function assertPasswordAcceptable(
  field: string,
  password: string,
  user: { email?: string; username?: string },
): void {
  const problem = checkPassword(password, user);
  if (problem) throw ProblemException.invalidField(field, problem);
}

/** The 409 matching a unique-index violation on users, or undefined for any other error. */
export function uniqueViolation(error: unknown): ProblemException | undefined {
  if (isUniqueViolation(error, 'email'))
    return ProblemException.conflict(UsersErrorCode.EmailTaken, 'This email is already registered.');
  if (isUniqueViolation(error, 'username_key'))
    return ProblemException.conflict(UsersErrorCode.UsernameTaken, 'This username is taken.');
  return undefined;
}
