import { Injectable } from '@nestjs/common';
import { requireExternalId, requireToken } from './credentials';
import { GraphApi, graphErrorDialect } from './graph-api';
import type { AccountCredentials, PublishContext, Publisher, PublishResult } from './publisher';
import { unexpectedAnswer } from './platform-http';

const SERVICE = 'facebook';

/** Facebook Page photo post: one `POST /{page-id}/photos` with a URL Facebook fetches. */
@Injectable()
export class FacebookPublisher implements Publisher {
  readonly platform = SERVICE;

  constructor(private readonly graph: GraphApi) {}

  verify(credentials: AccountCredentials, signal: AbortSignal) {
    return this.graph.me(SERVICE, credentials, signal);
  }

  async publish({ text, credentials, image }: PublishContext, signal: AbortSignal): Promise<PublishResult> {
    const token = requireToken(SERVICE, credentials);
    const pageId = requireExternalId(SERVICE, credentials);
    const photo = await this.graph.post<{ id?: string; post_id?: string }>(
      SERVICE,
      `/${pageId}/photos`,
      { url: await image.url(), caption: text, published: 'true' },
      token,
      signal,
      true,
    );
    const postId = photo?.post_id ?? photo?.id;
    if (!postId) throw unexpectedAnswer(SERVICE, 'photo posted without an id');
    return {
      externalId: String(postId),
      url: await this.graph.optionalField(SERVICE, String(postId), 'permalink_url', token, signal),
    };
  }
}

/** Facebook pages (Graph API), as the platform registry lists it (platform-descriptors.ts). */
export const facebookDescriptor = {
  name: SERVICE,
  implementation: FacebookPublisher,
  captions: { maxLength: 63_206, counting: 'characters' },
  connect: { kind: 'token' },
  errorDialect: graphErrorDialect,
} as const;
