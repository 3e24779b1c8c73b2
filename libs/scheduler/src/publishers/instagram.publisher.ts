import { Injectable } from '@nestjs/common';
import type { Post } from '../posts/post.entity';
import { requireExternalId, requireToken } from './credentials';
import { GraphApi, graphErrorDialect } from './graph-api';
import type { AccountCredentials, PostMetrics, PublishContext, Publisher, PublishResult } from './publisher';
import { pollUntil, unexpectedAnswer } from './platform-http';

const SERVICE = 'instagram';

/**
 * Instagram content publishing: create a media container from a URL Instagram fetches, wait until
 * the container is FINISHED, then media_publish it. Only media_publish creates the visible post.
 */
@Injectable()
export class InstagramPublisher implements Publisher {
  readonly platform = SERVICE;

  constructor(private readonly graph: GraphApi) {}

  verify(credentials: AccountCredentials, signal: AbortSignal) {
    return this.graph.me(SERVICE, credentials, signal);
  }

  async publish({ text, credentials, image }: PublishContext, signal: AbortSignal): Promise<PublishResult> {
    const token = requireToken(SERVICE, credentials);
    const igUserId = requireExternalId(SERVICE, credentials);
    const container = await this.graph.post<{ id?: string }>(
      SERVICE,
      `/${igUserId}/media`,
      { image_url: await image.url(), caption: text },
      token,
      signal,
    );
    if (!container?.id) throw unexpectedAnswer(SERVICE, 'media container created without an id');
    await pollUntil(
      SERVICE,
      async () => {
        const state = await this.graph.get<{ status_code?: string }>(
          SERVICE,
          `/${container.id}`,
          { fields: 'status_code' },
          token,
          signal,
        );
        if (state?.status_code === 'FINISHED') return true;
        if (state?.status_code === 'ERROR' || state?.status_code === 'EXPIRED') {
          throw unexpectedAnswer(SERVICE, `media container ended ${state.status_code}`);
        }
        return undefined;
      },
      signal,
    );
    const media = await this.graph.post<{ id?: string }>(
      SERVICE,
      `/${igUserId}/media_publish`,
      { creation_id: container.id },
      token,
      signal,
      true,
    );
    if (!media?.id) throw unexpectedAnswer(SERVICE, 'media_publish answered without an id');
    return {
      externalId: String(media.id),
      url: await this.graph.optionalField(SERVICE, media.id, 'permalink', token, signal),
    };
  }

  async insights(post: Post, credentials: AccountCredentials, signal: AbortSignal): Promise<PostMetrics> {
    const answer = await this.graph.get<{
      data?: Array<{ name: string; values?: Array<{ value?: number }> }>;
    }>(
      SERVICE,
      `/${post.externalId}/insights`,
      { metric: 'likes,comments,shares,impressions,reach' },
      requireToken(SERVICE, credentials),
      signal,
    );
    const value = (name: string) => answer?.data?.find((m) => m.name === name)?.values?.[0]?.value ?? null;
    return {
      likes: value('likes'),
      comments: value('comments'),
      shares: value('shares'),
      impressions: value('impressions'),
      reach: value('reach'),
    };
  }
}

/** Instagram (Graph API), as the platform registry lists it (platform-descriptors.ts). */
export const instagramDescriptor = {
  name: SERVICE,
  implementation: InstagramPublisher,
  captions: { maxLength: 2_200, maxHashtags: 30, counting: 'characters' },
  connect: { kind: 'token' },
  errorDialect: graphErrorDialect,
} as const;
