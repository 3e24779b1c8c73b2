import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** What a subscription allows: daily limits, image size, providers and scheduling weight. */
@Entity('plans')
export class Plan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'int', default: 0 })
  priceCents: number;

  @Column({ type: 'int' })
  dailyGenerations: number;

  @Column({ type: 'int' })
  dailyEdits: number;

  @Column({ type: 'int' })
  dailyUploads: number;

  @Column({ type: 'int', default: 1024 })
  maxImageSide: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  allowedProviders: string[];

  /** Jobs a user on this plan may have running at once. */
  @Column({ type: 'int', default: 1 })
  concurrency: number;

  /** Bull job priority: 1 is the highest. */
  @Column({ type: 'int', default: 5 })
  queuePriority: number;

  @Column({ type: 'boolean', default: false })
  premium: boolean;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The slug of the plan every new account starts on. */
export const DEFAULT_PLAN_SLUG = 'free';
