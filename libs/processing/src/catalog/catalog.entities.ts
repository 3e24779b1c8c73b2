import { Model } from './model.entity';
import { PlanModel, PlanWorkflow } from './plan-links.entity';
import { Workflow } from './workflow.entity';

export const CATALOG_ENTITIES = [Model, Workflow, PlanModel, PlanWorkflow];
