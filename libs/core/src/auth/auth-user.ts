export type Role = 'user' | 'admin';

/** Who is calling, as proven by a verified access token. */
export interface AuthUser {
  id: string;
  role: Role;
}

/** The claims Atelier puts in its access tokens. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
}
