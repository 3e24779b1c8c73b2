import { Column, Entity, PrimaryColumn } from 'typeorm';

export const QUOTA_KINDS = ['generation', 'edit', 'upload'] as const;
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/** How much of one kind a user used on one UTC day. Counted atomically by QuotaService. */
@Entity('quota_usage')
export class QuotaUsage {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  /** UTC day, `YYYY-MM-DD`. */
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'text' })
  kind: QuotaKind;

  @Column({ type: 'int', default: 0 })
  used: number;
}
