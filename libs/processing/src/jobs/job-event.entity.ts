import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { JobEventType } from '../processing.types';

/**
 * A job's history, replayed to late SSE subscribers. `seq` is one increasing sequence for all
 * jobs: ordered within a job, and written by any process without a per-job counter to race on.
 */
@Entity('job_events')
@Index('idx_job_events_job_seq', ['jobId', 'seq'])
export class JobEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  @Column({ type: 'uuid' })
  jobId: string;

  @Column({ type: 'text' })
  type: JobEventType;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @Index('idx_job_events_created')
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
