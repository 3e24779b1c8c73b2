import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Model, PlanModel } from '@atelier/processing';
import { Plan } from '@atelier/users';
import type { Seeder } from './run-seeds';
import catalog from './models.json';

type ModelSeed = Pick<
  Model,
  'name' | 'provider' | 'identifier' | 'type' | 'description' | 'parameterDefinitions'
> & { plans: string[] };

export const MODEL_SEEDS = catalog.models as ModelSeed[];

/** Plan ids by slug; a seed naming an unknown plan is a mistake in the JSON, not something to skip. */
export async function planIdsBySlug(
  manager: EntityManager,
  slugs: string[],
  owner: string,
): Promise<string[]> {
  const plans = await manager.getRepository(Plan).find({ select: { id: true, slug: true } });
  const idOf = new Map(plans.map((p) => [p.slug, p.id]));
  return slugs.map((slug) => {
    const id = idOf.get(slug);
    if (!id) throw new Error(`${owner} names unknown plan "${slug}"`);
    return id;
  });
}

/**
 * The starter models, upserted by name, and their plan links (added, never removed, so an
 * admin's extra links survive a re-seed). `active` is not written: an admin's switch stays.
 */
export const modelsSeeder: Seeder = {
  name: 'models',
  async run(dataSource: DataSource): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const rows = MODEL_SEEDS.map(({ plans: _plans, ...model }) => model);
      await manager
        .getRepository(Model)
        .upsert(rows as QueryDeepPartialEntity<Model>[], { conflictPaths: ['name'] });
      for (const seed of MODEL_SEEDS) {
        const model = await manager.getRepository(Model).findOneByOrFail({ name: seed.name });
        const planIds = await planIdsBySlug(manager, seed.plans, `models.json: ${seed.name}`);
        await manager
          .createQueryBuilder()
          .insert()
          .into(PlanModel)
          .values(planIds.map((planId) => ({ planId, modelId: model.id })))
          .orIgnore()
          .execute();
      }
      return MODEL_SEEDS.length;
    });
  },
};
