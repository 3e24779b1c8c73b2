import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Env, type ErrorDialect, ExternalErrorCode } from '@atelier/core';
import { requireExternalId, requireToken } from './credentials';
import type { AccountCredentials, PublishContext, Publisher, PublishResult } from './publisher';
import { type PlatformClient, PlatformHttp, unexpectedAnswer } from './platform-http';

const SERVICE = 'linkedin';
/** LinkedIn's service error code for an invalid or expired access token. */
const INVALID_ACCESS_TOKEN = 65600;

/**
 * LinkedIn answers `{status, serviceErrorCode, message}`: 401 / code 65600 for the token, 422 naming
 * the existing share for a duplicate, 403 for a missing permission, 429 for throttling.
 */
export const linkedInErrorDialect: ErrorDialect = ({ status, body }) => {
  if (status === 401 || body?.serviceErrorCode === INVALID_ACCESS_TOKEN) {
    return { kind: 'auth', code: ExternalErrorCode.TokenExpired };
  }
  if (status === 422 && /duplicate/i.test(String(body?.message ?? ''))) {
    return { kind: 'rejected', code: ExternalErrorCode.DuplicateContent };
  }
  if (status === 429) return { kind: 'retryable', code: ExternalErrorCode.RateLimited };
  return undefined;
};

/**
 * LinkedIn Posts API: initialise an image upload for the author, PUT the bytes to the upload URL,
 * then create the post; its URN comes back in the `x-restli-id` header. The account's external id
 * is the author URN (`urn:li:person:…` or `urn:li:organization:…`).
 */
@Injectable()
export class LinkedInPublisher implements Publisher {
  readonly platform = SERVICE;
  private readonly api: PlatformClient;
  private readonly baseUrl: string;
  private readonly version: string;

  constructor(http: PlatformHttp, config: ConfigService<Env, true>) {
    this.api = http.forPlatform(SERVICE, linkedInErrorDialect);
    this.baseUrl = config.get('LINKEDIN_API_URL', { infer: true }).replace(/\/+$/, '');
    this.version = config.get('LINKEDIN_VERSION', { infer: true });
  }

  async verify(credentials: AccountCredentials, signal: AbortSignal) {
    const { body } = await this.api.request<{ sub?: string; name?: string }>(
      { url: `${this.baseUrl}/v2/userinfo`, headers: this.auth(credentials) },
      signal,
    );
    if (!body?.sub) throw unexpectedAnswer(SERVICE, 'userinfo answered without a subject');
    return { externalId: `urn:li:person:${body.sub}`, displayName: body.name ?? body.sub };
  }

  async publish({ text, credentials, image }: PublishContext, signal: AbortSignal): Promise<PublishResult> {
    const author = requireExternalId(SERVICE, credentials);
    const headers = this.restHeaders(credentials);
    const init = await this.api.request<{ value?: { uploadUrl?: string; image?: string } }>(
      {
        url: `${this.baseUrl}/rest/images?action=initializeUpload`,
        method: 'POST',
        headers,
        json: { initializeUploadRequest: { owner: author } },
      },
      signal,
    );
    const { uploadUrl, image: imageUrn } = init.body?.value ?? {};
    if (!uploadUrl || !imageUrn)
      throw unexpectedAnswer(SERVICE, 'initializeUpload answered without an upload URL');
    await this.api.request(
      {
        url: uploadUrl,
        method: 'PUT',
        headers: { ...this.auth(credentials), 'content-type': image.mime },
        body: await image.bytes(),
      },
      signal,
    );
    const created = await this.api.request(
      {
        url: `${this.baseUrl}/rest/posts`,
        method: 'POST',
        headers,
        json: {
          author,
          commentary: text,
          visibility: 'PUBLIC',
          distribution: {
            feedDistribution: 'MAIN_FEED',
            targetEntities: [],
            thirdPartyDistributionChannels: [],
          },
          content: { media: { id: imageUrn, ...(image.title ? { title: image.title } : {}) } },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        },
        createsPost: true,
      },
      signal,
    );
    const urn = created.headers.get('x-restli-id');
    if (!urn) throw unexpectedAnswer(SERVICE, 'post created without an x-restli-id header');
    return { externalId: urn, url: `https://www.linkedin.com/feed/update/${urn}/` };
  }

  private restHeaders(credentials: AccountCredentials): Record<string, string> {
    return {
      ...this.auth(credentials),
      'linkedin-version': this.version,
      'x-restli-protocol-version': '2.0.0',
    };
  }

  private auth(credentials: AccountCredentials): Record<string, string> {
    return { authorization: `Bearer ${requireToken(SERVICE, credentials)}` };
  }
}

/** LinkedIn, as the platform registry lists it (platform-descriptors.ts). */
export const linkedInDescriptor = {
  name: SERVICE,
  implementation: LinkedInPublisher,
  captions: { maxLength: 3_000, counting: 'characters' },
  connect: { kind: 'token' },
  errorDialect: linkedInErrorDialect,
} as const;
