import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Env } from '@atelier/core';
import { adminSeeder } from './admin.seed';
import { plansSeeder } from './plans.seed';
import { stylesSeeder } from './styles.seed';
import { modelsSeeder } from './models.seed';
import { workflowsSeeder } from './workflows.seed';
import type { SeedMode } from './seed-rows';

/**
 * One seeder per kind of reference data (plans, styles, models, workflows…). Each writes by a
 * natural key (a slug or name), so seeding can run any number of times; it returns the number of
 * rows it wrote (inserted, or with `reset` overwritten).
 */
export interface Seeder {
  name: string;
  run(dataSource: DataSource, env: Env, mode?: SeedMode): Promise<number>;
}

export const SEEDERS: Seeder[] = [plansSeeder, adminSeeder, stylesSeeder, modelsSeeder, workflowsSeeder];

export async function runSeeds(dataSource: DataSource, env: Env, mode: SeedMode = 'missing'): Promise<void> {
  const logger = new Logger('Seeds');
  for (const seeder of SEEDERS) {
    const count = await seeder.run(dataSource, env, mode);
    if (count) logger.log(`${seeder.name}: ${count} rows ${mode === 'reset' ? 'reset' : 'inserted'}`);
  }
}
