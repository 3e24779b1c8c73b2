import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { asRecord, type Env, type ErrorDialect, ExternalErrorCode } from '@atelier/core';
import type { AccountCredentials, VerifiedIdentity } from './publisher';
import { requireToken } from './credentials';
import { PlatformHttp, unexpectedAnswer } from './platform-http';

const TOKEN_INVALID = 190;
const POLICY_BLOCK = 368;
const INVALID_PARAMETER = 100;
// 4 app, 17 user, 32 page, 613 call-rate limits; 80001–80009 business-use-case limits.
const RATE_LIMITS = new Set([4, 17, 32, 613]);
const isBusinessUseCaseLimit = (code: number) => code >= 80001 && code <= 80009;
// 1 unknown error, 2 service unavailable, 341 application limit: transient.
const TRANSIENT = new Set([1, 2, 341]);
const isMissingPermission = (code: number) => code === 10 || (code >= 200 && code <= 299);

/**
 * Graph answers `{error: {code, error_subcode, type, fbtrace_id}}`, mostly with HTTP 400 whatever
 * the cause, so the code decides: only 190 (with any subcode: expired, revoked, password changed)
 * is about the token.
 */
export const graphErrorDialect: ErrorDialect = ({ body }) => {
  const code = asRecord(body?.error)?.code;
  if (typeof code !== 'number') return undefined;
  if (code === TOKEN_INVALID) return { kind: 'auth', code: ExternalErrorCode.TokenExpired };
  if (RATE_LIMITS.has(code) || isBusinessUseCaseLimit(code)) {
    return { kind: 'retryable', code: ExternalErrorCode.RateLimited };
  }
  if (TRANSIENT.has(code)) return { kind: 'retryable', code: ExternalErrorCode.ProviderUnavailable };
  if (code === POLICY_BLOCK) return { kind: 'rejected', code: ExternalErrorCode.ContentPolicy };
  if (isMissingPermission(code)) return { kind: 'rejected', code: ExternalErrorCode.PermissionDenied };
  if (code === INVALID_PARAMETER) return { kind: 'rejected', code: ExternalErrorCode.ProviderRejected };
  return undefined;
};

/**
 * Graph API calls shared by the Instagram and Facebook publishers. GRAPH_API_URL includes the
 * version (`https://graph.facebook.com/v21.0`); the token travels as the `access_token` parameter
 * as Graph documents; failures are read with {@link graphErrorDialect}.
 */
@Injectable()
export class GraphApi {
  private readonly baseUrl: string;

  constructor(
    private readonly http: PlatformHttp,
    config: ConfigService<Env, true>,
  ) {
    this.baseUrl = config.get('GRAPH_API_URL', { infer: true }).replace(/\/+$/, '');
  }

  async get<T>(
    service: string,
    path: string,
    params: Record<string, string>,
    token: string,
    signal: AbortSignal,
  ) {
    const query = new URLSearchParams({ ...params, access_token: token });
    const { body } = await this.http.request<T>(
      { service, url: `${this.baseUrl}${path}?${query}`, dialect: graphErrorDialect },
      signal,
    );
    return body;
  }

  async post<T>(
    service: string,
    path: string,
    params: Record<string, string>,
    token: string,
    signal: AbortSignal,
    createsPost = false,
  ) {
    const { body } = await this.http.request<T>(
      {
        service,
        url: `${this.baseUrl}${path}`,
        method: 'POST',
        form: { ...params, access_token: token },
        createsPost,
        dialect: graphErrorDialect,
      },
      signal,
    );
    return body;
  }

  /**
   * One string field of an object (a permalink), or null: called after the post exists, so a failure
   * here must not turn a published post into a failed one.
   */
  async optionalField(service: string, id: string, field: string, token: string, signal: AbortSignal) {
    try {
      const object = await this.get<Record<string, unknown>>(
        service,
        `/${id}`,
        { fields: field },
        token,
        signal,
      );
      const value = object?.[field];
      return typeof value === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  async me(service: string, credentials: AccountCredentials, signal: AbortSignal): Promise<VerifiedIdentity> {
    const me = await this.get<{ id?: string; name?: string }>(
      service,
      '/me',
      { fields: 'id,name' },
      requireToken(service, credentials),
      signal,
    );
    if (!me?.id) throw unexpectedAnswer(service, '/me answered without an id');
    return { externalId: String(me.id), displayName: me.name ?? String(me.id) };
  }
}
