import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { checkDefinitions, Model, PlanWorkflow, Workflow } from '@atelier/processing';
import { planIdsBySlug } from './models.seed';
import type { Seeder } from './run-seeds';
import catalog from './workflows.json';

type WorkflowSeed = Pick<
  Workflow,
  'name' | 'description' | 'type' | 'segment' | 'graph' | 'parameterDefinitions'
> & { model: string | null; plans: string[] };

export const WORKFLOW_SEEDS = catalog.workflows as unknown as WorkflowSeed[];

/**
 * The starter workflows (txt2img, img2img), upserted by name after their models, with plan links
 * added. Each is checked like an admin's would be, so a broken seed fails loudly.
 */
export const workflowsSeeder: Seeder = {
  name: 'workflows',
  async run(dataSource: DataSource): Promise<number> {
    return dataSource.transaction(async (manager) => {
      for (const { model: modelName, plans, ...seed } of WORKFLOW_SEEDS) {
        const problems = checkDefinitions(seed.graph, seed.parameterDefinitions);
        if (problems.length) {
          throw new Error(
            `workflows.json: ${seed.name}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
          );
        }
        const model = modelName ? await manager.getRepository(Model).findOneBy({ name: modelName }) : null;
        if (modelName && !model)
          throw new Error(`workflows.json: ${seed.name} names unknown model "${modelName}"`);
        await manager
          .getRepository(Workflow)
          .upsert({ ...seed, modelId: model?.id ?? null } as QueryDeepPartialEntity<Workflow>, {
            conflictPaths: ['name'],
          });
        const workflow = await manager.getRepository(Workflow).findOneByOrFail({ name: seed.name });
        const planIds = await planIdsBySlug(manager, plans, `workflows.json: ${seed.name}`);
        await manager
          .createQueryBuilder()
          .insert()
          .into(PlanWorkflow)
          .values(planIds.map((planId) => ({ planId, workflowId: workflow.id })))
          .orIgnore()
          .execute();
      }
      return WORKFLOW_SEEDS.length;
    });
  },
};
