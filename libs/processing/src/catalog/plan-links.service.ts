import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ProblemException } from '@atelier/core';
import { PlansService } from '@atelier/users';
import { Model } from './model.entity';
import { PlanModel, PlanWorkflow } from './plan-links.entity';
import { Workflow } from './workflow.entity';

/** Which models and workflows each plan allows (O-Art PlanModel / PlanWorkflow). */
@Injectable()
export class PlanLinksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
  ) {}

  async modelIds(planId: string): Promise<string[]> {
    const rows = await this.db
      .getRepository(PlanModel)
      .find({ where: { planId }, order: { modelId: 'ASC' } });
    return rows.map((row) => row.modelId);
  }

  async workflowIds(planId: string): Promise<string[]> {
    const rows = await this.db
      .getRepository(PlanWorkflow)
      .find({ where: { planId }, order: { workflowId: 'ASC' } });
    return rows.map((row) => row.workflowId);
  }

  allowsModel(planId: string, modelId: string): Promise<boolean> {
    return this.db.getRepository(PlanModel).existsBy({ planId, modelId });
  }

  allowsWorkflow(planId: string, workflowId: string): Promise<boolean> {
    return this.db.getRepository(PlanWorkflow).existsBy({ planId, workflowId });
  }

  /** Replaces the plan's models; every id must exist (400 naming the unknown ones). */
  async setModels(planId: string, modelIds: string[]): Promise<string[]> {
    await this.plans.get(planId);
    const ids = [...new Set(modelIds)];
    await this.assertExist(Model, ids, 'modelIds');
    await this.db.transaction(async (manager) => {
      await manager.delete(PlanModel, { planId });
      if (ids.length)
        await manager.insert(
          PlanModel,
          ids.map((modelId) => ({ planId, modelId })),
        );
    });
    return this.modelIds(planId);
  }

  async setWorkflows(planId: string, workflowIds: string[]): Promise<string[]> {
    await this.plans.get(planId);
    const ids = [...new Set(workflowIds)];
    await this.assertExist(Workflow, ids, 'workflowIds');
    await this.db.transaction(async (manager) => {
      await manager.delete(PlanWorkflow, { planId });
      if (ids.length)
        await manager.insert(
          PlanWorkflow,
          ids.map((workflowId) => ({ planId, workflowId })),
        );
    });
    return this.workflowIds(planId);
  }

  private async assertExist(
    entity: typeof Model | typeof Workflow,
    ids: string[],
    field: string,
  ): Promise<void> {
    if (!ids.length) return;
    const found = await this.db
      .getRepository<{ id: string }>(entity)
      .find({ select: { id: true }, where: { id: In(ids) } });
    const known = new Set(found.map((row) => row.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) {
      throw ProblemException.validationFailed(
        missing.map((id) => ({ field, message: `${id} does not exist` })),
        `Unknown ids: ${missing.join(', ')}.`,
      );
    }
  }
}
