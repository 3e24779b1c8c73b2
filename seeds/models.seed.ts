import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Model, PlanModel, PlanWorkflow } from '@atelier/processing';
import { Plan } from '@atelier/users';
import type { Seeder } from './run-seeds';
import { writeSeedRows } from './seed-rows';
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

/** Links the plans named by slug to one catalogue row (never removes a link). */
export async function linkPlans(
  manager: EntityManager,
  link: typeof PlanModel | typeof PlanWorkflow,
  slugs: string[],
  owner: string,
  target: { modelId: string } | { workflowId: string },
): Promise<void> {
  const planIds = await planIdsBySlug(manager, slugs, owner);
  await manager
    .createQueryBuilder()
    .insert()
    .into(link)
    .values(planIds.map((planId) => ({ planId, ...target })))
    .orIgnore()
    .execute();
}

/**
 * The starter models by name, with their plan links for the models written (a new model, or all
 * with `reset`): a link or an `active` switch an administrator changed survives every start.
 */
export const modelsSeeder: Seeder = {
  name: 'models',
  async run(dataSource: DataSource, _env, mode = 'missing'): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const rows = MODEL_SEEDS.map(({ plans: _plans, ...model }) => model);
      const written = await writeSeedRows(
        manager,
        Model,
        rows as QueryDeepPartialEntity<Model>[],
        'name',
        mode,
      );
      for (const seed of MODEL_SEEDS) {
        const modelId = written.get(seed.name);
        if (modelId)
          await linkPlans(manager, PlanModel, seed.plans, `models.json: ${seed.name}`, { modelId });
      }
      return written.size;
    });
  },
};
