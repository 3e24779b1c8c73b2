import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { JWTPayload, JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import type { Env } from '../config';
import { ProblemException } from '../errors';

/** Who an OpenID Connect access token speaks for, once its signature and claims are verified. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
  preferredUsername?: string;
}

const ALGORITHMS = ['RS256', 'ES256'];
const FETCH_TIMEOUT_MS = 5000;
// jose's codes for a key set it could not fetch or read: the issuer is unreachable, not the token bad.
const UNAVAILABLE_CODES = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * Verifies bearer tokens from the configured OpenID Connect issuer (Fief, Keycloak, Auth0…):
 * `jwks_uri` from the issuer's discovery document, keys through jose's remote key set, which
 * refetches when a token names an unknown `kid` (key rotation), at most once per cooldown.
 */
@Injectable()
export class OidcVerifier {
  private readonly logger = new Logger(OidcVerifier.name);
  private readonly issuer?: string;
  private readonly audience?: string;
  private readonly cooldownMs: number;
  private keySet?: Promise<JWTVerifyGetKey>;

  constructor(config: ConfigService<Env, true>) {
    this.issuer = config.get('OIDC_ISSUER', { infer: true });
    this.audience = config.get('OIDC_AUDIENCE', { infer: true });
    this.cooldownMs = config.get('OIDC_JWKS_COOLDOWN_SECONDS', { infer: true }) * 1000;
  }

  /**
   * Whether the token claims to come from the configured issuer (not verified: only which path
   * verifies it). Atelier's own tokens carry no `iss`.
   */
  claimsIssuer(token: string): boolean {
    if (!this.issuer) return false;
    try {
      const payload = JSON.parse(
        Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
      ) as JWTPayload;
      return payload.iss === this.issuer;
    } catch {
      return false;
    }
  }

  async verify(token: string): Promise<OidcIdentity> {
    const { jwtVerify } = await import('jose');
    try {
      const { payload } = await jwtVerify(token, await this.keys(), {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      });
      return identityOf(payload);
    } catch (error) {
      throw this.problemFor(error);
    }
  }

  private keys(): Promise<JWTVerifyGetKey> {
    this.keySet ??= this.discover().catch((error: unknown) => {
      this.keySet = undefined; // the next request tries the discovery again
      throw error;
    });
    return this.keySet;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const { createRemoteJWKSet } = await import('jose');
    const issuer = this.issuer as string;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
    if (document.issuer !== issuer || typeof document.jwks_uri !== 'string')
      throw new Error('discovery document does not match the issuer or lacks jwks_uri');
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      cooldownDuration: this.cooldownMs,
      timeoutDuration: FETCH_TIMEOUT_MS,
    });
  }

  private problemFor(error: unknown): ProblemException {
    if (error instanceof ProblemException) return error;
    const code = (error as { code?: unknown }).code;
    const isJose = error instanceof Error && typeof code === 'string' && code.startsWith('ERR_J');
    if (isJose && !UNAVAILABLE_CODES.has(code)) {
      return ProblemException.unauthorized('invalid_token', 'The access token is invalid or expired.');
    }
    this.logger.warn({ err: (error as Error).message }, 'OpenID Connect issuer unavailable');
    return new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'identity_provider_unavailable',
      'The identity provider could not be reached to verify the token; try again shortly.',
    );
  }
}

function identityOf(payload: JWTPayload): OidcIdentity {
  const text = (name: string) => {
    const value = payload[name];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  return {
    issuer: payload.iss as string,
    subject: payload.sub as string,
    email: text('email'),
    emailVerified: payload.email_verified === true,
    name: text('name'),
    preferredUsername: text('preferred_username'),
  };
}
