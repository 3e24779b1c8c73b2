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
import { User } from '@atelier/users';
import { SocialAccount } from '../accounts/social-account.entity';
import type { ScheduleFrequency } from './next-run';

@Entity('schedules')
@Index('idx_schedules_owner_created', ['ownerId', 'createdAt', 'id'])
// The schedule cron's due query: active AND next_run_at <= now().
@Index('idx_schedules_active_next_run', ['active', 'nextRunAt'])
export class Schedule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column('uuid')
  socialAccountId: string;

  @ManyToOne(() => SocialAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'social_account_id' })
  socialAccount?: SocialAccount;

  @Column({ type: 'varchar', length: 16 })
  frequency: ScheduleFrequency;

  /** 'HH:mm' local time (daily, weekly, monthly). */
  @Column({ type: 'varchar', length: 5, nullable: true })
  timeOfDay: string | null;

  @Column({ type: 'int', array: true, nullable: true })
  daysOfWeek: number[] | null;

  @Column({ type: 'int', nullable: true })
  dayOfMonth: number | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  cron: string | null;

  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  /** Image source: a folder and/or a tag of the owner's images (neither = all of them). */
  @Column({ type: 'uuid', nullable: true })
  folderId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  tag: string | null;

  @Column({ type: 'text', default: '' })
  captionTemplate: string;

  @Column({ type: 'text', array: true, default: '{}' })
  hashtags: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  // Millisecond precision: the run claim compares it with the JS Date that was read.
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  nextRunAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
