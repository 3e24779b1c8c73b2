import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Style } from './style.entity';

@Entity('style_categories')
@Index(['sortOrder', 'name'])
export class StyleCategory {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ length: 80 })
  name: string;

  @Index({ unique: true })
  @Column({ length: 80 })
  slug: string;

  /** An icon name or emoji the clients render next to the category. */
  @Column({ type: 'varchar', length: 80, nullable: true })
  icon: string | null;

  /** Hex colour such as `#ff6b6b`. */
  @Column({ type: 'varchar', length: 9, nullable: true })
  color: string | null;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;

  @OneToMany('Style', (style: Style) => style.category)
  styles?: Style[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
