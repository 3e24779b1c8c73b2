import type { EntityList } from '@atelier/core';
import { USERS_ENTITIES } from '@atelier/users';
import { IMAGES_ENTITIES } from '@atelier/images';
import { STYLES_ENTITIES } from '@atelier/styles';
import { MODERATION_ENTITIES } from '@atelier/moderation';
import { PROCESSING_ENTITIES } from '@atelier/processing';
import { SCHEDULER_ENTITIES } from '@atelier/scheduler';

/** Every TypeORM entity by lib, for the app and the CLI data source alike (one line per lib). */
export const ENTITIES_BY_LIB: Record<string, EntityList> = {
  users: USERS_ENTITIES,
  images: IMAGES_ENTITIES,
  styles: STYLES_ENTITIES,
  moderation: MODERATION_ENTITIES,
  processing: PROCESSING_ENTITIES,
  scheduler: SCHEDULER_ENTITIES,
};

export const ENTITIES: EntityList = Object.values(ENTITIES_BY_LIB).flat();
