import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { checkDefinitions, Model, PlanWorkflow, Workflow } from '@atelier/processing';
import { linkPlans } from './models.seed';
import type { Seeder } from './run-seeds';
import { writeSeedRows } from './seed-rows';
import catalog from './workflows.json';

type WorkflowSeed = Pick<
  Workflow,
  'name' | 'description' | 'type' | 'segment' | 'graph' | 'parameterDefinitions'
> & { model: string | null; plans: string[] };

export const WORKFLOW_SEEDS = catalog.workflows as unknown as WorkflowSeed[];

/**
 * The starter workflows (txt2img, img2img) by name after their models, with plan links for the
 * workflows written. Each is checked like an admin's would be, so a broken seed fails loudly.
 */
export const workflowsSeeder: Seeder = {
  name: 'workflows',
  async run(dataSource: DataSource, _env, mode = 'missing'): Promise<number> {
    return dataSource.transaction(async (manager) => {
      let count = 0;
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
        const row = { ...seed, modelId: model?.id ?? null } as QueryDeepPartialEntity<Workflow>;
        const workflowId = (await writeSeedRows(manager, Workflow, [row], 'name', mode)).get(seed.name);
        if (!workflowId) continue;
        await linkPlans(manager, PlanWorkflow, plans, `workflows.json: ${seed.name}`, { workflowId });
        count++;
      }
      return count;
    });
  },
};
