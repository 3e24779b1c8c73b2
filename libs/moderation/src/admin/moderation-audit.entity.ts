import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Image, type ModerationState } from '@atelier/images';
import { User } from '@atelier/users';

/** One administrator decision over a moderation verdict; rows are never updated. */
@Entity('moderation_audits')
@Index(['imageId', 'createdAt', 'id'])
export class ModerationAudit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  imageId: string;

  // Purging an image removes its history with it: the audit is about that image's visibility.
  @ManyToOne(() => Image, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Image;

  /** Null once the administrator's account is deleted; the decision itself stays on record. */
  @Column({ type: 'uuid', nullable: true })
  adminId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'admin_id' })
  admin?: User;

  @Column({ type: 'text' })
  fromState: ModerationState;

  @Column({ type: 'text' })
  toState: ModerationState;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

export const MODERATION_ENTITIES = [ModerationAudit];
