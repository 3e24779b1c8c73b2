import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { JobStatus, JobType } from '../processing.types';

/** Normalised request parameters, as validated at submission (see job-params.ts). */
export interface JobParams {
  width: number;
  height: number;
  n: number;
  outputFormat: 'png' | 'jpeg' | 'webp';
  quality?: string;
  background?: string;
  outputCompression?: number;
  seed?: number;
  steps?: number;
  guidance?: number;
  /** Style transfer on the `local` provider: image operations (see style-operations.ts). */
  operations?: unknown[];
  [key: string]: unknown;
}

/**
 * One request for images. The row is the source of truth for a job's state; the Bull job only
 * carries its id. Every state change goes through a conditional UPDATE on `status`.
 */
@Entity('jobs')
@Index('idx_jobs_owner_recent', ['ownerId', 'createdAt', 'id'])
@Index('idx_jobs_status_queued', ['status', 'queuedAt'])
@Index('idx_jobs_status_lease', ['status', 'leaseExpiresAt'])
// The stats refresh reads the jobs that finished in its window.
@Index('idx_jobs_finished', ['finishedAt'], { where: '"finished_at" IS NOT NULL' })
@Index('uq_jobs_owner_idempotency', ['ownerId', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
export class Job {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @Column({ type: 'text' })
  type: JobType;

  @Column({ type: 'text', default: 'queued' })
  status: JobStatus;

  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ type: 'text' })
  provider: string;

  @Column({ type: 'text', nullable: true })
  model: string | null;

  @Column({ type: 'text', default: '' })
  prompt: string;

  @Column({ type: 'text', nullable: true })
  negativePrompt: string | null;

  @Column({ type: 'jsonb' })
  params: JobParams;

  @Column({ type: 'uuid', nullable: true })
  styleId: string | null;

  @Column({ type: 'uuid', nullable: true })
  templateId: string | null;

  @Column({ type: 'uuid', nullable: true })
  workflowId: string | null;

  @Column({ type: 'uuid', nullable: true })
  sourceImageId: string | null;

  @Column({ type: 'uuid', nullable: true })
  maskImageId: string | null;

  @Column({ type: 'uuid', nullable: true })
  folderId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  /** Where the owner wants to hear about this job (checked by the outbound guard), or null. */
  @Column({ type: 'text', nullable: true })
  webhookUrl: string | null;

  /** Which of `start`, `output`, `completed` to deliver to webhookUrl. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  webhookEvents: string[];

  @Column({ type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** What was taken from the owner's daily allowance, so a failure refunds exactly that. */
  @Column({ type: 'text' })
  quotaKind: 'generation' | 'edit';

  @Column({ type: 'int' })
  quotaUnits: number;

  @Column({ type: 'date' })
  quotaDay: string;

  @Column({ type: 'boolean', default: false })
  quotaRefunded: boolean;

  /** Provider calls started (deferrals for plan concurrency are not attempts). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ type: 'text', nullable: true })
  providerRequestId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  usage: Record<string, unknown> | null;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  resultImageIds: string[];

  @Column({ type: 'smallint', default: 5 })
  queuePriority: number;

  /** The job this one retries (POST /jobs/:id/retry). */
  @Column({ type: 'uuid', nullable: true })
  retryOfId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  queuedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** While running: when the reconciler may consider the worker gone. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
