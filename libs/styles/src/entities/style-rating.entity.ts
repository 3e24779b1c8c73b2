import {
  Check,
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

/** One score per user per style; the style keeps the aggregate (ratingAvg, ratingCount). */
@Entity('style_ratings')
@Index(['styleId'])
@Check('"score" BETWEEN 1 AND 5')
export class StyleRating {
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

  @Column({ type: 'smallint' })
  score: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
