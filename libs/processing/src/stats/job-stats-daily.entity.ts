import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Finished jobs per owner, UTC day (of `finished_at`), provider and type: counted as each job
 * finishes (countFinishedJobsSql) and recomputed from `jobs` by the daily cron (JobStatsRefresher). The primary key leads with (owner_id, day), which
 * is the index GET /me/stats reads through.
 */
@Entity('job_stats_daily')
export class JobStatsDaily {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_job_stats_daily' })
  ownerId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_job_stats_daily' })
  day: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_job_stats_daily' })
  provider: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_job_stats_daily' })
  type: string;

  @Column({ type: 'int', default: 0 })
  succeeded: number;

  @Column({ type: 'int', default: 0 })
  failed: number;

  @Column({ type: 'int', default: 0 })
  cancelled: number;

  /** Result images the day's jobs produced. */
  @Column({ type: 'int', default: 0 })
  images: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  refreshedAt: Date;
}
