import type { OidcIdentity } from './oidc-verifier';

export type Role = 'user' | 'admin';

/** Who is calling, as proven by a verified access token. */
export interface AuthUser {
  id: string;
  role: Role;
}

/**
 * Maps a verified OpenID Connect identity to the local account it signs in as (the users lib
 * provides it: core cannot read users). Absent when no lib provides it.
 */
export abstract class OidcAccountResolver {
  abstract resolve(identity: OidcIdentity): Promise<AuthUser>;
}

/** The claims Atelier puts in its access tokens. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
}
