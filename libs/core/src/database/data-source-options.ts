import { join } from 'node:path';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import type { DataSourceOptions, EntitySchema } from 'typeorm';

// `migrations/` sits four levels above this file both in the source tree and in `dist/`.
const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', '..', 'migrations', '*.{ts,js}');

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = (Function | string | EntitySchema)[];

/** The one description of the database, shared by the app, the TypeORM CLI and the tests. */
export function dataSourceOptions(url: string, entities: EntityList, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    extra: { max: poolSize },
  };
}
