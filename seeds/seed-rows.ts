import {
  In,
  type EntityManager,
  type EntityTarget,
  type FindOptionsWhere,
  type ObjectLiteral,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * `missing` (every start): insert the rows whose natural key is absent, leave existing rows as an
 * administrator left them. `reset` (`npm run seed -- --reset`): also overwrite the seeded columns.
 */
export type SeedMode = 'missing' | 'reset';

/**
 * Writes seed rows by their natural key and returns the ids of the rows written, by key: the
 * inserted ones, or with `reset` all of them. Their dependants (plan links, examples) are written
 * for those rows only, so a link an administrator removed stays removed.
 */
export async function writeSeedRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T>[],
  key: keyof T & string,
  mode: SeedMode,
): Promise<Map<string, string>> {
  if (!rows.length) return new Map();
  // TypeORM writes generated ids back into the objects it inserts: keep the shipped seeds pristine.
  rows = rows.map((row) => ({ ...row }));
  const repository = manager.getRepository(entity);
  if (mode === 'reset') {
    await repository.upsert(rows, { conflictPaths: [key] });
    const keys = rows.map((row) => row[key as keyof typeof row] as string);
    const found = await repository.find({ where: { [key]: In(keys) } as FindOptionsWhere<T> });
    return new Map(found.map((row) => [row[key] as string, row.id as string]));
  }
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows)
    .orIgnore()
    .returning(['id', key])
    .execute();
  return new Map((result.raw as Record<string, string>[]).map((row) => [row[key], row.id]));
}
