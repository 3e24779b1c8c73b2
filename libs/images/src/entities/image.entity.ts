import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '@atelier/users';
import { mayBeShownOrPostedSql } from '../image-visibility';
import { Folder } from './folder.entity';

export const IMAGE_SOURCES = ['upload', 'generated', 'edited', 'styled', 'workflow'] as const;
export type ImageSource = (typeof IMAGE_SOURCES)[number];

export const IMAGE_STATUSES = [
  'pending',
  'generating',
  'generated',
  'validated',
  'rejected',
  'failed',
] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const MODERATION_STATES = ['pending', 'safe', 'flagged', 'skipped'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];

export interface ModerationLabel {
  name: string;
  parentName?: string;
  confidence: number;
}

/** What the gallery may show: public, not deleted, and cleared by moderation. */
export function galleryVisibleSql(alias?: string): string {
  const a = alias ? `${alias}.` : '';
  return `${a}is_public AND ${a}deleted_at IS NULL AND ${mayBeShownOrPostedSql(alias)}`;
}
const GALLERY_VISIBLE = galleryVisibleSql();

// Every list the API serves has its index. created_at has millisecond precision so the keyset
// cursor (a JS Date) compares exactly with the stored value.
@Entity('images')
@Check('chk_images_job_index', 'job_index IS NULL OR job_index >= 0')
@Index('idx_images_owner_recent', ['ownerId', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
@Index('idx_images_owner_status', ['ownerId', 'status', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
@Index('idx_images_folder', ['folderId', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
@Index('idx_images_gallery_recent', ['createdAt', 'id'], { where: GALLERY_VISIBLE })
@Index('idx_images_gallery_popular', ['favoritesCount', 'id'], { where: GALLERY_VISIBLE })
@Index('uq_images_job_result', ['jobId', 'jobIndex'], { unique: true, where: 'job_id IS NOT NULL' })
@Index('idx_images_parent', ['parentImageId'], { where: 'parent_image_id IS NOT NULL' })
// The maintenance crons look for recently deleted images (purge, orphaned objects).
@Index('idx_images_deleted', ['deletedAt'], { where: 'deleted_at IS NOT NULL' })
// Trigram index over search_text: created in the Images migration (TypeORM cannot express it).
@Index('idx_images_search_trgm', { synchronize: false })
export class Image {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: User;

  @Column({ type: 'uuid', nullable: true })
  folderId: string | null;

  @ManyToOne(() => Folder, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'folder_id' })
  folder?: Folder;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text' })
  source: ImageSource;

  @Column({ type: 'uuid', nullable: true })
  parentImageId: string | null;

  @ManyToOne(() => Image, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_image_id' })
  parentImage?: Image;

  /** The processing job that produced it (no foreign key: processing depends on images, not back). */
  @Column({ type: 'uuid', nullable: true })
  jobId: string | null;

  @Column({ type: 'int', nullable: true })
  jobIndex: number | null;

  @Column({ type: 'text', nullable: true })
  prompt: string | null;

  @Column({ type: 'text', nullable: true })
  negativePrompt: string | null;

  @Column({ type: 'text', nullable: true })
  provider: string | null;

  @Column({ type: 'text', nullable: true })
  model: string | null;

  @Column({ type: 'text', nullable: true })
  styleId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  params: Record<string, unknown>;

  @Column({ type: 'int' })
  width: number;

  @Column({ type: 'int' })
  height: number;

  @Column({ type: 'text' })
  mime: string;

  @Column({ type: 'int' })
  bytes: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'text' })
  originalKey: string;

  @Column({ type: 'text', nullable: true })
  thumbnailKey: string | null;

  @Column({ type: 'text', default: 'generated' })
  status: ImageStatus;

  @Column({ type: 'text', nullable: true })
  validationNotes: string | null;

  @Column({ type: 'text', default: 'pending' })
  moderationState: ModerationState;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  moderationLabels: ModerationLabel[];

  @Column({ type: 'boolean', default: false })
  isPublic: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  sharedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  favoritesCount: number;

  @Column({ type: 'double precision', default: 0 })
  ratingAvg: number;

  @Column({ type: 'int', default: 0 })
  ratingCount: number;

  @Column({ type: 'int', default: 0 })
  downloadsCount: number;

  /** Lower-cased title, prompt and tags: what gallery and library search match with ILIKE. */
  @Column({ type: 'text', default: '', select: false })
  searchText: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
