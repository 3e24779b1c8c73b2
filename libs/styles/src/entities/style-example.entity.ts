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
import { Style } from './style.entity';

/** A before/after pair showing what a style does, either as URLs or as Atelier image ids. */
@Entity('style_examples')
@Index(['styleId', 'sortOrder', 'id'])
export class StyleExample {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  styleId: string;

  @ManyToOne(() => Style, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'style_id' })
  style?: Style;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  beforeImageUrl: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  afterImageUrl: string | null;

  @Column({ type: 'uuid', nullable: true })
  beforeImageId: string | null;

  @Column({ type: 'uuid', nullable: true })
  afterImageId: string | null;

  @Column({ type: 'varchar', length: 300, default: '' })
  caption: string;

  @Column({ type: 'int', default: 0 })
  sortOrder: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
