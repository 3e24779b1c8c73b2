import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CryptoKey, JWK, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { FakeHttpServer } from './fake-http-server';
import { sendJson, type RecordedRequest } from './recorded-request';

export type SigningAlgorithm = 'RS256' | 'ES256';

interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SignOptions {
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  /** Sign with a key the JWKS does not publish (under the current kid): a forged token. */
  foreignKey?: boolean;
}

/**
 * An OpenID Connect issuer on loopback, as Fief, Keycloak or Auth0 present themselves to an API:
 * `/.well-known/openid-configuration` naming `jwks_uri`, the JWKS with the public signing keys,
 * and real RS256/ES256 access tokens signed with jose. `rotateKeys()` replaces the key (new kid).
 */
export class OidcIssuerFake extends FakeHttpServer {
  readonly audience = 'atelier-api';
  private key?: SigningKey;

  get issuer(): string {
    return this.url;
  }

  /** How many times the JWKS was fetched (a rotation makes the app fetch it again). */
  get jwksFetches(): number {
    return this.requests.filter((r) => r.path === '/.well-known/jwks.json').length;
  }

  /** A new signing key with a new kid; the JWKS then publishes only that one. */
  async rotateKeys(alg: SigningAlgorithm = 'RS256'): Promise<string> {
    this.key = await newKey(alg);
    return this.key.kid;
  }

  async sign(claims: JWTPayload & { sub: string }, options: SignOptions = {}): Promise<string> {
    const { SignJWT } = await import('jose');
    this.key ??= await newKey('RS256');
    const key = this.key;
    const signingKey = options.foreignKey ? (await newKey(key.alg)).privateKey : key.privateKey;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300))
      .sign(signingKey);
  }

  protected handle(req: RecordedRequest, res: ServerResponse): void {
    if (req.method === 'GET' && req.path === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer: this.issuer,
        jwks_uri: `${this.url}/.well-known/jwks.json`,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/api/token`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
    }
    if (req.method === 'GET' && req.path === '/.well-known/jwks.json') {
      return sendJson(res, 200, { keys: this.key ? [this.key.publicJwk] : [] });
    }
    sendJson(res, 404, { detail: 'Not Found' });
  }
}

async function newKey(alg: SigningAlgorithm): Promise<SigningKey> {
  const { exportJWK, generateKeyPair } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = randomBytes(8).toString('hex');
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startOidcIssuerFake(): Promise<OidcIssuerFake> {
  return new OidcIssuerFake().listen();
}
