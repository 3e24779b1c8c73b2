import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '@atelier/core';
import type { AccountCredentials, VerifiedIdentity } from './publisher';
import { requireToken } from './credentials';
import { PlatformHttp, unexpectedAnswer } from './platform-http';

/**
 * Graph API calls shared by the Instagram and Facebook publishers. GRAPH_API_URL includes the
 * version (`https://graph.facebook.com/v21.0`); the token travels as the `access_token` parameter
 * as Graph documents. Graph answers errors as `{error: {code…}}`, mostly with HTTP 400, so the
 * shared classification reads the code (190 → auth, 4/17/32/613 → retryable).
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
    const { body } = await this.http.request<T>({ service, url: `${this.baseUrl}${path}?${query}` }, signal);
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
