import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { WorkflowGraph } from '../workflows/workflow-template';
import type { ParamDefinition } from '../workflows/workflow-params';
import { Model } from './model.entity';

/**
 * A ComfyUI graph (API format) offered as a product: `{{placeholders}}` in its string values are
 * filled from typed parameters (see workflows/workflow-params.ts) when a job runs it.
 */
@Entity('workflows')
@Index('idx_workflows_recent', ['createdAt', 'id'])
@Index('idx_workflows_model', ['modelId'])
export class Workflow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** `txt2img`, `img2img`, `upscale`, `inpaint`… */
  @Column({ type: 'text' })
  type: string;

  /** Free grouping for clients (`portrait`, `product`…). */
  @Column({ type: 'text', nullable: true })
  segment: string | null;

  @Column({ type: 'uuid', nullable: true })
  modelId: string | null;

  @ManyToOne(() => Model, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'model_id' })
  model?: Model | null;

  @Column({ type: 'jsonb' })
  graph: WorkflowGraph;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  parameterDefinitions: ParamDefinition[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
