import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser } from './auth-user';
import { AdminGuard, AuthenticatedRequest, JwtAuthGuard, OptionalJwtAuthGuard } from './jwt-auth.guard';

/** The signed-in caller (routes guarded by @Authenticated or @AdminOnly). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user as AuthUser;
});

/** The caller when a token was sent, else undefined (routes guarded by @OptionalAuth). */
export const MaybeUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser | undefined => {
    return context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  },
);

export const Authenticated = () =>
  applyDecorators(
    UseGuards(JwtAuthGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid token' }),
  );

export const OptionalAuth = () => applyDecorators(UseGuards(OptionalJwtAuthGuard), ApiBearerAuth());

export const AdminOnly = () =>
  applyDecorators(
    UseGuards(AdminGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid token' }),
    ApiForbiddenResponse({ description: 'admin_only' }),
  );
