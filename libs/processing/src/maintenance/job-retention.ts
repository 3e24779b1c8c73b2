import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { Env } from '@atelier/core';
import { StorageService } from '@atelier/storage';

const BATCH = 500;

/**
 * Drops the event logs of jobs that ended more than JOB_RETENTION_DAYS ago (the job rows stay),
 * with the preview images those events point to: previews are for live clients, never results.
 */
@Injectable()
export class JobRetention {
  private readonly logger = new Logger(JobRetention.name);
  private readonly retentionDays: number;

  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageService,
    config: ConfigService<Env, true>,
  ) {
    this.retentionDays = config.get('JOB_RETENTION_DAYS', { infer: true });
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'jobs.retention' })
  async pruneEvents(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const jobs: { id: string }[] = await this.db.query(
        `SELECT DISTINCT j.id FROM jobs j JOIN job_events e ON e.job_id = j.id
         WHERE j.status IN ('succeeded', 'failed', 'cancelled') AND j.finished_at < $1 LIMIT $2`,
        [cutoff, BATCH],
      );
      if (jobs.length === 0) break;
      const ids = jobs.map((j) => j.id);
      const previews: { key: string }[] = await this.db.query(
        `SELECT DISTINCT data->>'key' AS key FROM job_events
         WHERE job_id = ANY($1) AND type = 'preview' AND data ? 'key'`,
        [ids],
      );
      for (const { key } of previews) {
        await this.storage
          .delete(key)
          .catch((err: Error) => this.logger.warn({ key, err: err.message }, 'Preview delete failed'));
      }
      const [, count] = (await this.db.query('DELETE FROM job_events WHERE job_id = ANY($1)', [ids])) as [
        unknown,
        number,
      ];
      deleted += count;
    }
    if (deleted) this.logger.log({ deleted }, 'Pruned old job events');
    return deleted;
  }
}
