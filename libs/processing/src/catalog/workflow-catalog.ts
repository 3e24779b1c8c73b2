import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthUser, FieldError, ProblemException } from '@atelier/core';
import { ImagesService } from '@atelier/images';
import { Plan, PlansService } from '@atelier/users';
import { WorkflowDefinitionError, WorkflowParamsError, resolveParams } from '../workflows/workflow-params';
import { findOutputNode, type WorkflowGraph } from '../workflows/workflow-template';
import { CatalogErrorCode, invalidWorkflowFields, workflowNotFound } from './catalog.errors';
import type { Model } from './model.entity';
import { PlanLinksService } from './plan-links.service';
import { Workflow } from './workflow.entity';

export interface PreparedWorkflow {
  workflow: Workflow;
  /** The template graph; the provider fills it once image parameters are uploaded. */
  graph: WorkflowGraph;
  outputNodeId: string;
  /** Every input value (supplied, default, drawn, or the model's), `image` ones as image ids. */
  values: Record<string, unknown>;
  /** Randomized values, recorded on the job so the result can be reproduced. */
  drawn: Record<string, number>;
  model: Model | null;
  imageParams: { name: string; imageId: string }[];
}

/**
 * Turns `{workflowId, params}` from a job request into what a workflow job runs: checks that it
 * exists, is active and is in the caller's plan (with its model), resolves the values against
 * the definitions and checks that image parameters name the caller's own images.
 */
@Injectable()
export class WorkflowCatalog {
  constructor(
    @InjectRepository(Workflow) private readonly workflows: Repository<Workflow>,
    private readonly plans: PlansService,
    private readonly links: PlanLinksService,
    private readonly images: ImagesService,
  ) {}

  async prepare(
    user: AuthUser,
    workflowId: string,
    params: Record<string, unknown> | undefined,
    random: () => number = Math.random,
  ): Promise<PreparedWorkflow> {
    const workflow = await this.workflows.findOne({ where: { id: workflowId }, relations: { model: true } });
    if (!workflow || !workflow.active) throw workflowNotFound();
    const model = workflow.model ?? null;
    const plan = await this.plans.planForUser(user.id);
    await this.assertPlanAllows(user, plan, workflow, model);

    const defs = workflow.parameterDefinitions;
    const inputNames = new Set(defs.filter((d) => d.direction !== 'output').map((d) => d.name));
    // The model's own values (its checkpoint…) win: a plan that allows a model must not become a
    // way to run any checkpoint by naming it in the parameters.
    const modelValues = Object.fromEntries(
      Object.entries(model?.parameterDefinitions ?? {}).filter(([name]) => inputNames.has(name)),
    );
    let resolved: { values: Record<string, unknown>; drawn: Record<string, number> };
    try {
      resolved = resolveParams(defs, { ...(params ?? {}), ...modelValues }, random);
    } catch (err) {
      if (err instanceof WorkflowParamsError) {
        throw invalidWorkflowFields([...err.errors, ...oversized(params ?? {}, plan.maxImageSide)]);
      }
      throw err;
    }

    const imageParams = defs
      .filter((d) => d.type === 'image' && typeof resolved.values[d.name] === 'string')
      .map((d) => ({ name: d.name, imageId: resolved.values[d.name] as string }));
    const imageErrors = oversized(resolved.values, plan.maxImageSide);
    for (const { name, imageId } of imageParams) {
      const image = await this.images.findOwned(user.id, imageId).catch(() => null);
      if (!image) imageErrors.push({ field: `params.${name}`, message: 'is not one of your images' });
    }
    if (imageErrors.length) throw invalidWorkflowFields(imageErrors);

    let outputNodeId: string;
    try {
      outputNodeId = findOutputNode(workflow.graph, defs);
    } catch (err) {
      if (err instanceof WorkflowDefinitionError) {
        throw ProblemException.conflict('workflow_invalid', `The workflow cannot run: ${err.message}.`);
      }
      throw err;
    }
    return { workflow, graph: workflow.graph, outputNodeId, ...resolved, model, imageParams };
  }

  /** Administrators may run anything (to try workflows out); users only what their plan links. */
  private async assertPlanAllows(
    user: AuthUser,
    plan: Plan,
    workflow: Workflow,
    model: Model | null,
  ): Promise<void> {
    if (user.role === 'admin') return;
    const allowed =
      (await this.links.allowsWorkflow(plan.id, workflow.id)) &&
      (!model || (model.active && (await this.links.allowsModel(plan.id, model.id))));
    if (!allowed) {
      throw ProblemException.forbidden(
        CatalogErrorCode.PlanForbids,
        `Your plan (${plan.slug}) does not include the workflow "${workflow.name}"${model ? ` or its model` : ''}.`,
      );
    }
  }
}

/** Sizes follow the plan as for every other job; `width` and `height` are the names workflows use. */
function oversized(values: Record<string, unknown>, maxSide: number): FieldError[] {
  return ['width', 'height']
    .filter((name) => typeof values[name] === 'number' && values[name] > maxSide)
    .map((name) => ({ field: `params.${name}`, message: `your plan allows at most ${maxSide} px a side` }));
}
