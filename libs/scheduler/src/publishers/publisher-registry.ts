import { Inject, Injectable } from '@nestjs/common';
import type { SocialPlatform } from './platform-descriptors';
import { type Publisher, PUBLISHERS } from './publisher';

/** Publishers by platform name; a platform without one is a programming error caught at boot. */
@Injectable()
export class PublisherRegistry {
  private readonly byPlatform: Map<SocialPlatform, Publisher>;

  constructor(@Inject(PUBLISHERS) publishers: Publisher[]) {
    this.byPlatform = new Map(publishers.map((p) => [p.platform, p]));
  }

  get(platform: SocialPlatform): Publisher {
    const publisher = this.byPlatform.get(platform);
    if (!publisher) throw new Error(`No publisher registered for platform "${platform}"`);
    return publisher;
  }

  /** Platforms whose publisher can read post metrics. */
  withInsights(): SocialPlatform[] {
    return [...this.byPlatform.values()].filter((p) => p.insights).map((p) => p.platform);
  }
}
