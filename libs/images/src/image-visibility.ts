import type { Image, ModerationState } from './entities/image.entity';

/**
 * Moderation states in which an image may be shown to others (the gallery, a shared image) or
 * posted to a social platform: cleared by the driver or an administrator (`safe`), or never
 * screened because no driver is configured (`skipped`). `pending` and `flagged` images stay with
 * their owner. The one spelling of that rule; everything else asks these functions.
 */
export const SHOWABLE_MODERATION_STATES = ['safe', 'skipped'] as const satisfies readonly ModerationState[];

export function mayBeShownOrPosted(image: Pick<Image, 'moderationState'>): boolean {
  return (SHOWABLE_MODERATION_STATES as readonly ModerationState[]).includes(image.moderationState);
}

/** The same rule as an SQL predicate on the `images` columns, for lists and guarded UPDATEs. */
export function mayBeShownOrPostedSql(alias?: string): string {
  const column = alias ? `${alias}.moderation_state` : 'moderation_state';
  return `${column} IN (${SHOWABLE_MODERATION_STATES.map((state) => `'${state}'`).join(', ')})`;
}
