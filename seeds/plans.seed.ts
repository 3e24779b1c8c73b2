import type { DataSource } from 'typeorm';
import { Plan } from '@atelier/users';
import type { Seeder } from './run-seeds';
import { writeSeedRows } from './seed-rows';

type PlanSeed = Omit<Plan, 'id' | 'createdAt' | 'updatedAt'>;

export const PLAN_SEEDS: PlanSeed[] = [
  {
    slug: 'free',
    name: 'Free',
    priceCents: 0,
    dailyGenerations: 20,
    dailyEdits: 20,
    dailyUploads: 50,
    maxImageSide: 1024,
    allowedProviders: ['local', 'huggingface', 'comfyui'],
    concurrency: 2,
    queuePriority: 5,
    premium: false,
    active: true,
  },
  {
    slug: 'premium',
    name: 'Premium',
    priceCents: 999,
    dailyGenerations: 500,
    dailyEdits: 500,
    dailyUploads: 1000,
    maxImageSide: 2048,
    allowedProviders: ['local', 'huggingface', 'comfyui', 'openai'],
    concurrency: 4,
    queuePriority: 1,
    premium: true,
    active: true,
  },
];

/** The free and premium plans, by slug (an admin's edits survive unless reset). */
export const plansSeeder: Seeder = {
  name: 'plans',
  async run(dataSource: DataSource, _env, mode = 'missing'): Promise<number> {
    return (await writeSeedRows(dataSource.manager, Plan, PLAN_SEEDS, 'slug', mode)).size;
  },
};
