import 'reflect-metadata';
import { parseArgs } from 'node:util';
import dataSource from '../config/data-source';
import { loadEnv, prepareDatabase } from '@atelier/core';
import { runSeeds } from './run-seeds';

// `npm run seed` (or, in the Docker image, `node dist/seeds/run.js`): migrates when
// DATABASE_MIGRATE allows, then inserts the missing reference data into DATABASE_URL's database,
// as every start does. `-- --reset` also overwrites the seeded rows with the shipped values.
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reset: { type: 'boolean', default: false } } });
  const env = loadEnv();
  await dataSource.initialize();
  try {
    await prepareDatabase(dataSource, {
      migrate: env.DATABASE_MIGRATE,
      seed: (db) => runSeeds(db, env, values.reset ? 'reset' : 'missing'),
    });
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
