import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Schedule } from './schedule.entity';

export const SCHEDULE_RUN_STATUSES = ['posted', 'skipped', 'failed'] as const;
export type ScheduleRunStatus = (typeof SCHEDULE_RUN_STATUSES)[number];

@Entity('schedule_runs')
// GET /schedules/:id/runs, newest first; unique so one planned run is recorded once.
@Index('uq_schedule_runs_schedule_run_at', ['scheduleId', 'runAt'], { unique: true })
export class ScheduleRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  scheduleId: string;

  @ManyToOne(() => Schedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id' })
  schedule?: Schedule;

  /** The planned run time (the schedule's nextRunAt that was claimed). */
  @Column({ type: 'timestamptz', precision: 3 })
  runAt: Date;

  @Column({ type: 'varchar', length: 16 })
  status: ScheduleRunStatus;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
