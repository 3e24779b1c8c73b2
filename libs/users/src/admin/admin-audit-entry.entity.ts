import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What an administrator did: one row per admin action, never updated or deleted. */
export const AdminAction = {
  ChangeRole: 'user.role_changed',
  ChangePlan: 'user.plan_changed',
  Deactivate: 'user.deactivated',
  Reactivate: 'user.reactivated',
  Delete: 'user.deleted',
} as const;
export type AdminAction = (typeof AdminAction)[keyof typeof AdminAction];

// Plain ids, no foreign keys: the trail must outlive the accounts it mentions.
@Index('idx_admin_audit_recent', ['createdAt', 'id'])
@Index('idx_admin_audit_target', ['targetUserId', 'createdAt', 'id'])
@Entity('admin_audit_log')
export class AdminAuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  actorId: string;

  @Column({ type: 'text' })
  action: AdminAction;

  @Column({ type: 'uuid', nullable: true })
  targetUserId: string | null;

  /** Before and after values, so the trail reads without the current state. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
