import { facebookDescriptor } from './facebook.publisher';
import { instagramDescriptor } from './instagram.publisher';
import { linkedInDescriptor } from './linkedin.publisher';
import { mastodonDescriptor } from './mastodon.publisher';
import type { PlatformDescriptor } from './publisher';
import { webhookDescriptor } from './webhook.publisher';
import { xDescriptor } from './x.publisher';

/** Every social platform, one line each; adding one is its file plus a line here (README). */
export const PLATFORM_DESCRIPTORS = [
  instagramDescriptor,
  facebookDescriptor,
  xDescriptor,
  mastodonDescriptor,
  linkedInDescriptor,
  webhookDescriptor,
] as const;

export type SocialPlatform = (typeof PLATFORM_DESCRIPTORS)[number]['name'];
export const SOCIAL_PLATFORMS: readonly SocialPlatform[] = PLATFORM_DESCRIPTORS.map((p) => p.name);

// Checked here rather than with `satisfies` in each platform's file: a publisher's type names
// SocialPlatform, which is read from this list, so the check there would be circular.
const _everyDescriptorComplete: readonly PlatformDescriptor[] = PLATFORM_DESCRIPTORS;

/** The platform's declaration; every SocialPlatform has one. */
export function platformDescriptor(name: SocialPlatform): PlatformDescriptor {
  return PLATFORM_DESCRIPTORS.find((p) => p.name === name)!;
}
