import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * A row from `RETURNING *` as an entity, converted the way TypeORM converts a SELECT (column
 * types, transformers, unselected columns left out), so a conditional UPDATE or INSERT does not
 * need a second query to read back what it wrote.
 */
export function hydrateRow<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    // `select: false` columns stay out, as they would from a SELECT.
    if (column.isSelect && column.databaseName in row) {
      column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
    }
  }
  return entity;
}

/** The first row an `UPDATE … RETURNING *` or `INSERT … RETURNING *` produced, if any. */
export function returnedRow<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  result: { raw: unknown },
): T | undefined {
  const [row] = result.raw as Record<string, unknown>[];
  return row ? hydrateRow(manager, target, row) : undefined;
}
