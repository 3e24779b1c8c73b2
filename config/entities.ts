import type { EntityList } from '@atelier/core';

/** Every TypeORM entity by lib, for the app and the CLI data source alike (one line per lib). */
export const ENTITIES_BY_LIB: Record<string, EntityList> = {};

export const ENTITIES: EntityList = Object.values(ENTITIES_BY_LIB).flat();
