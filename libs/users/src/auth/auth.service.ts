import { Injectable } from '@nestjs/common';
import { ProblemException } from '@atelier/core';
import { SessionsService, TokenPair } from '../sessions/sessions.service';
import type { User } from '../user.entity';
import { UsersErrorCode } from '../users.errors';
import { UsersService } from '../users.service';
import { verifyPassword } from './password-hasher';
import { RateLimiter } from './rate-limiter';

/** Signing in and out. Callers pass the client IP for the per-IP limits. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Every attempt counts against the IP; failed ones also against the account (the user, however
   * the login was typed: username and email share one count), which is then locked for the rest
   * of the window. One answer for an unknown login and a wrong password.
   */
  async login(login: string, password: string, ip: string): Promise<TokenPair & { user: User }> {
    await this.limiter.hit('login', `ip:${ip}`);
    const user = await this.users.findForLogin(login);
    const account = user ? `user:${user.id}` : `login:${login.trim()}`;
    const valid = await this.limiter.checkPassword(account, () =>
      verifyPassword(user?.passwordHash, password),
    );
    if (!valid || !user) {
      throw ProblemException.unauthorized(UsersErrorCode.InvalidCredentials, 'Wrong login or password.');
    }
    // Only after the password proved it is their account, so strangers learn nothing.
    if (user.deactivatedAt) throw accountDeactivated();
    return { ...(await this.sessions.start(user)), user };
  }

  async refresh(refreshToken: string, ip: string): Promise<TokenPair> {
    await this.limiter.hit('refresh', `ip:${ip}`, `token:${refreshToken}`);
    return this.sessions.rotate(refreshToken, (id) => this.users.findActiveById(id));
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.end(refreshToken);
  }
}

export const accountDeactivated = () =>
  ProblemException.forbidden(
    UsersErrorCode.AccountDeactivated,
    'This account has been deactivated by an administrator.',
  );
