import {
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
import type { Role } from '@atelier/core';
import { Plan } from './plans/plan.entity';

export type SocialHandles = Record<string, string>;

// The admin user list: newest first, keyset-paginated, with email/username search by trigram.
@Index('idx_users_created', ['createdAt', 'id'], { where: 'deleted_at IS NULL' })
@Index('idx_users_email_trgm', { synchronize: false })
@Index('idx_users_username_trgm', { synchronize: false })
@Index('uq_users_oidc_identity', ['oidcIssuer', 'oidcSubject'], {
  unique: true,
  where: 'oidc_subject IS NOT NULL',
})
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always stored lower-cased, so uniqueness is case-insensitive. */
  @Column({ type: 'text', unique: true })
  email: string;

  /** As the person typed it (shown to others). */
  @Column({ type: 'text' })
  username: string;

  /** `username` lower-cased: the unique key, so "Ada" and "ada" cannot both exist. */
  @Column({ type: 'text', unique: true })
  usernameKey: string;

  /** argon2id; null for accounts that only sign in through the identity provider. */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'text', default: '' })
  displayName: string;

  @Column({ type: 'text', default: '' })
  bio: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  preferences: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  socialHandles: SocialHandles;

  /** Storage key of the 256 px webp avatar. */
  @Column({ type: 'text', nullable: true })
  avatarKey: string | null;

  @Column({ type: 'text', default: 'user' })
  role: Role;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  planId: string | null;

  @ManyToOne(() => Plan, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Plan;

  /** Set by an administrator: sign-in is refused until it is cleared again. */
  @Column({ type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;

  /** The user's id at the external identity provider (Fief). */
  @Column({ type: 'text', nullable: true, unique: true })
  externalId: string | null;

  /** The OpenID Connect issuer and subject whose bearer tokens sign in as this user. */
  @Column({ type: 'text', nullable: true })
  oidcIssuer: string | null;

  @Column({ type: 'text', nullable: true })
  oidcSubject: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt: Date | null;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const usernameKeyOf = (username: string): string => username.trim().toLowerCase();
