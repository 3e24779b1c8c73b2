import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Writes the reference data (plans, styles, models, workflows, the first admin) when missing. */
export type SeedDatabase = (dataSource: DataSource) => Promise<void>;

// One key for every process of a deployment: the api and the worker start at the same moment.
const PREPARE_LOCK = 'atelier:prepare-database';

/**
 * Brings any database up to date at start: pending migrations (when this process migrates), then
 * the missing reference data. Both run under a PostgreSQL advisory lock, held on a connection of
 * its own (not one of the pool, which the work itself needs), so processes starting together take
 * turns and the second finds nothing left to do.
 */
export async function prepareDatabase(
  dataSource: DataSource,
  options: { migrate: boolean; seed?: SeedDatabase },
): Promise<void> {
  const lock = new Client({ connectionString: (dataSource.options as { url: string }).url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [PREPARE_LOCK]);
    if (options.migrate) await dataSource.runMigrations();
    if (options.seed && (await schemaIsCurrent(dataSource))) await options.seed(dataSource);
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}

/** False while migrations are pending: seeding is then left to the process that migrates. */
async function schemaIsCurrent(dataSource: DataSource): Promise<boolean> {
  const [{ table }] = await dataSource.query(`SELECT to_regclass('migrations') AS table`);
  const current = table !== null && !(await dataSource.showMigrations());
  if (!current) {
    new Logger('Database').warn(
      'Migrations are pending: reference data is left to the process that migrates',
    );
  }
  return current;
}
