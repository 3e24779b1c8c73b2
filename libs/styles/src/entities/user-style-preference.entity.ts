import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '@atelier/users';
import { Style } from './style.entity';

/** What one user does with one style: favourite it, use it (counted when a job succeeds). */
@Entity('user_style_preferences')
@Index(['userId', 'updatedAt', 'styleId'])
// "Popular" counts recent users per style.
@Index(['lastUsedAt', 'styleId'])
export class UserStylePreference {
  @PrimaryColumn('uuid')
  userId: string;

  @PrimaryColumn('uuid')
  styleId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @ManyToOne(() => Style, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'style_id' })
  style?: Style;

  @Column({ default: false })
  favorite: boolean;

  @Column({ type: 'int', default: 0 })
  usageCount: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  // Millisecond precision: the keyset cursor carries a JS Date, which cannot hold microseconds.
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
