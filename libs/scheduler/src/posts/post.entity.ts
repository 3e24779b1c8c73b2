import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Image } from '@atelier/images';
import { User } from '@atelier/users';
import { SocialAccount } from '../accounts/social-account.entity';

export const POST_STATUSES = ['scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

@Entity('posts')
@Unique('uq_posts_owner_idempotency_key', ['ownerId', 'idempotencyKey'])
// The publishing cron's due-post query: status = 'scheduled' AND scheduled_at <= now().
@Index('idx_posts_status_scheduled_at', ['status', 'scheduledAt'])
// GET /posts, newest first (keyset on created_at, id).
@Index('idx_posts_owner_created', ['ownerId', 'createdAt', 'id'])
// "Not yet posted to that account" when a schedule picks an image.
@Index('idx_posts_account_image', ['socialAccountId', 'imageId'])
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column('uuid')
  imageId: string;

  @ManyToOne(() => Image, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Image;

  @Column('uuid')
  socialAccountId: string;

  @ManyToOne(() => SocialAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'social_account_id' })
  socialAccount?: SocialAccount;

  @Column({ type: 'text', default: '' })
  caption: string;

  @Column({ type: 'text', array: true, default: '{}' })
  hashtags: string[];

  @Column({ type: 'timestamptz', precision: 3 })
  scheduledAt: Date;

  @Column({ type: 'varchar', length: 16, default: 'scheduled' })
  status: PostStatus;

  /** Publish attempts started (each claim or reclaim counts one). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /**
   * Which delivery owns the `publishing` state: the Bull job id plus its creation time (constant
   * across Bull's retries of that job, different for a job added again later). Only the holder may
   * resume a post left `publishing`; see PublishPostProcessor.
   */
  @Column({ type: 'varchar', length: 128, nullable: true })
  claimToken: string | null;

  /**
   * True between an attempt that ended with a retryable error (nothing was published) and the next
   * attempt. A `publishing` post whose holder finds this false was interrupted mid-request (crash,
   * stalled job): its outcome is unknown, so it is reconciled, never blindly re-sent.
   */
  @Column({ type: 'boolean', default: false })
  awaitingRetry: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  publishStartedAt: Date | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  externalUrl: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'uuid', nullable: true })
  @Index()
  scheduleId: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
