import 'reflect-metadata';
import dataSource from '../config/data-source';
import { loadEnv } from '@atelier/core';
import { runSeeds } from './run-seeds';

// `npm run seed`: upserts the reference data into DATABASE_URL's database.
async function main(): Promise<void> {
  await dataSource.initialize();
  try {
    await runSeeds(dataSource, loadEnv());
  } finally {
    await dataSource.destroy();
  }
}

void main();
