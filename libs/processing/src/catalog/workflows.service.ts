import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthUser, FieldError, keysetPage, Page, PageQuery, ProblemException } from '@atelier/core';
import { PlansService } from '@atelier/users';
import { checkDefinitions } from '../workflows/workflow-template';
import { CatalogErrorCode, invalidWorkflowFields, workflowNotFound } from './catalog.errors';
import type { CreateWorkflowDto, UpdateWorkflowDto } from './dto/workflow.dto';
import { Model } from './model.entity';
import { PlanWorkflow } from './plan-links.entity';
import { Workflow } from './workflow.entity';

/**
 * The workflow catalogue. Users see the active workflows their plan links; administrators see
 * and manage all. Every write checks the graph against the parameter definitions as a pair.
 */
@Injectable()
export class WorkflowsService {
  constructor(
    @InjectRepository(Workflow) private readonly workflows: Repository<Workflow>,
    private readonly plans: PlansService,
  ) {}

  async list(user: AuthUser, query: PageQuery): Promise<Page<Workflow>> {
    const qb = this.workflows.createQueryBuilder('w').leftJoinAndSelect('w.model', 'model');
    if (user.role !== 'admin') {
      const plan = await this.plans.planForUser(user.id);
      qb.innerJoin(PlanWorkflow, 'pw', 'pw.workflow_id = w.id AND pw.plan_id = :planId', {
        planId: plan.id,
      }).where('w.active = true');
    }
    return keysetPage(qb, {
      sortColumn: 'w.createdAt',
      idColumn: 'w.id',
      limit: query.limit,
      cursor: query.cursor,
      map: (w) => w,
    });
  }

  /** A workflow the caller may see; anything else is a 404. */
  async getVisible(user: AuthUser, id: string): Promise<Workflow> {
    const workflow = await this.get(id);
    if (user.role === 'admin') return workflow;
    const plan = await this.plans.planForUser(user.id);
    const linked = await this.workflows.manager.existsBy(PlanWorkflow, { planId: plan.id, workflowId: id });
    if (!workflow.active || !linked) throw workflowNotFound();
    return workflow;
  }

  async get(id: string): Promise<Workflow> {
    const workflow = await this.workflows.findOne({ where: { id }, relations: { model: true } });
    if (!workflow) throw workflowNotFound();
    return workflow;
  }

  async create(input: CreateWorkflowDto): Promise<Workflow> {
    await this.validate(input);
    await this.assertNameFree(input.name);
    const saved = await this.workflows.save(this.workflows.create(input));
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateWorkflowDto): Promise<Workflow> {
    const workflow = await this.get(id);
    const merged = {
      graph: input.graph ?? workflow.graph,
      parameterDefinitions: input.parameterDefinitions ?? workflow.parameterDefinitions,
      modelId: input.modelId === undefined ? workflow.modelId : input.modelId,
    };
    await this.validate(merged);
    if (input.name !== undefined && input.name !== workflow.name) await this.assertNameFree(input.name);
    // The loaded relation would win over a changed modelId on save.
    delete workflow.model;
    await this.workflows.save(this.workflows.merge(workflow, input));
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const result = await this.workflows.delete({ id });
    if (!result.affected) throw workflowNotFound();
  }

  private async validate(
    input: Pick<Workflow, 'graph' | 'parameterDefinitions'> & { modelId?: string | null },
  ) {
    const errors: FieldError[] = checkDefinitions(input.graph, input.parameterDefinitions).map((e) => ({
      // The checker names definitions `params[i]`; in this API they are `parameterDefinitions`.
      field: e.field.replace(/^params(?=\[|$)/, 'parameterDefinitions'),
      message: e.message,
    }));
    if (input.modelId && !(await this.workflows.manager.existsBy(Model, { id: input.modelId }))) {
      errors.push({ field: 'modelId', message: 'does not exist' });
    }
    if (errors.length) {
      throw invalidWorkflowFields(errors);
    }
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.workflows.existsBy({ name })) {
      throw ProblemException.conflict(
        CatalogErrorCode.WorkflowNameTaken,
        `A workflow named "${name}" already exists.`,
      );
    }
  }
}
