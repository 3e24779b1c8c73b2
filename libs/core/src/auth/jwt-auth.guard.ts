import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../errors';
import { AccessTokenClaims, AuthUser, OidcAccountResolver } from './auth-user';
import { OidcVerifier } from './oidc-verifier';
import { IssuedToken, TokenRevocations } from './token-revocations';

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Verifies the access token and attaches `{ id, role }` to the request. Besides the signature, one
 * Redis read tells whether its session was ended or its user erased (TokenRevocations). Tokens of
 * the configured OpenID Connect issuer take their own path (their user's state is read each time).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly revocations: TokenRevocations,
    private readonly oidc: OidcVerifier,
    @Optional() private readonly oidcAccounts?: OidcAccountResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.user = await this.verify(bearerToken(request.headers.authorization));
    return true;
  }

  async verify(token: string | undefined): Promise<AuthUser> {
    if (!token) throw ProblemException.unauthorized('unauthenticated', 'A bearer access token is required.');
    if (this.oidcAccounts && this.oidc.claimsIssuer(token)) {
      return this.oidcAccounts.resolve(await this.oidc.verify(token));
    }
    let claims: AccessTokenClaims & IssuedToken;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & IssuedToken>(token);
    } catch {
      throw ProblemException.unauthorized('invalid_token', 'The access token is invalid or expired.');
    }
    if (await this.revocations.isRevoked(claims)) {
      throw ProblemException.unauthorized('invalid_token', 'The access token is invalid or expired.');
    }
    return { id: claims.sub, role: claims.role };
  }
}

/** Like JwtAuthGuard, but lets anonymous callers through (public resources). */
@Injectable()
export class OptionalJwtAuthGuard extends JwtAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (token) request.user = await this.verify(token);
    return true;
  }
}

@Injectable()
export class AdminGuard extends JwtAuthGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (user?.role !== 'admin')
      throw ProblemException.forbidden('admin_only', 'This route is for administrators.');
    return true;
  }
}
