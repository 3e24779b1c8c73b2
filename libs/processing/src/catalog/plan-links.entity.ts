import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Plan } from '@atelier/users';
import { Model } from './model.entity';
import { Workflow } from './workflow.entity';

/** A model a plan's users may run (O-Art PlanModel). */
@Entity('plan_models')
@Index('idx_plan_models_model', ['modelId'])
export class PlanModel {
  @PrimaryColumn({ type: 'uuid' })
  planId: string;

  @PrimaryColumn({ type: 'uuid' })
  modelId: string;

  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Plan;

  @ManyToOne(() => Model, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: Model;
}

/** A workflow a plan's users may run (O-Art PlanWorkflow). */
@Entity('plan_workflows')
@Index('idx_plan_workflows_workflow', ['workflowId'])
export class PlanWorkflow {
  @PrimaryColumn({ type: 'uuid' })
  planId: string;

  @PrimaryColumn({ type: 'uuid' })
  workflowId: string;

  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Plan;

  @ManyToOne(() => Workflow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workflow_id' })
  workflow?: Workflow;
}
