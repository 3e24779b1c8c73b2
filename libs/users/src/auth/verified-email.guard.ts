import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthenticatedRequest, Env, JwtAuthGuard, ProblemException } from '@atelier/core';
import { UsersService } from '../users.service';
import { UsersErrorCode } from '../users.errors';

/**
 * For routes that create content (uploads, jobs, posts): the account must still exist and, with
 * AUTH_REQUIRE_VERIFIED_EMAIL, have a verified email. Runs after JwtAuthGuard.
 */
@Injectable()
export class VerifiedEmailGuard implements CanActivate {
  constructor(
    private readonly users: UsersService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { user: caller } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!caller) throw ProblemException.unauthorized('unauthenticated', 'A bearer access token is required.');
    const user = await this.users.findById(caller.id);
    if (!user)
      throw ProblemException.unauthorized(UsersErrorCode.AccountGone, 'This account no longer exists.');
    if (this.config.get('AUTH_REQUIRE_VERIFIED_EMAIL', { infer: true }) && !this.users.isVerified(user)) {
      throw ProblemException.forbidden(
        UsersErrorCode.EmailNotVerified,
        'Verify your email address before creating content.',
      );
    }
    return true;
  }
}

/** A signed-in caller whose account exists and whose email is verified (content creation). */
export const VerifiedUser = () =>
  applyDecorators(
    UseGuards(JwtAuthGuard, VerifiedEmailGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid token, or the account is gone' }),
    ApiForbiddenResponse({ description: 'email_not_verified' }),
  );
