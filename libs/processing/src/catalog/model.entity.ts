import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ProviderName } from '@atelier/core';

/**
 * A generation model an operator offers (O-Art "Model"): a ComfyUI checkpoint or an API model id.
 * `parameterDefinitions` are the model's own values (`{ckpt_name: "…"}`), merged into the values
 * of any workflow that runs on it.
 */
@Entity('models')
@Index('idx_models_recent', ['createdAt', 'id'])
export class Model {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text' })
  provider: ProviderName;

  /** Checkpoint file name (ComfyUI) or the provider's model id. */
  @Column({ type: 'text' })
  identifier: string;

  /** What it makes: `checkpoint`, `lora`, `upscaler`, `image`… */
  @Column({ type: 'text', default: 'checkpoint' })
  type: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  parameterDefinitions: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
