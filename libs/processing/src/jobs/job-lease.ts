import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { Env } from '@atelier/core';
import { Job } from './job.entity';

/**
 * The heartbeat lease of a running job: the claim sets `lease_expires_at` a short lease ahead,
 * and while the job runs this process renews it every heartbeat. A worker that dies stops
 * renewing, so the reconciler finds the lease expired within JOB_LEASE_SECONDS and re-queues the
 * job, instead of leaving it `running` until some long deadline.
 */
@Injectable()
export class JobLease {
  private readonly logger = new Logger(JobLease.name);
  readonly leaseSeconds: number;
  readonly heartbeatMs: number;

  constructor(
    private readonly db: DataSource,
    config: ConfigService<Env, true>,
  ) {
    this.leaseSeconds = config.get('JOB_LEASE_SECONDS', { infer: true });
    this.heartbeatMs = config.get('JOB_HEARTBEAT_SECONDS', { infer: true }) * 1000;
  }

  /** SQL for a fresh expiry, for the claim's UPDATE. */
  expiry(): () => string {
    return () => `now() + make_interval(secs => ${this.leaseSeconds})`;
  }

  /** Renews the lease until the returned function is called. */
  hold(jobId: string): () => void {
    const timer = setInterval(() => void this.renew(jobId), this.heartbeatMs);
    return () => clearInterval(timer);
  }

  private async renew(jobId: string): Promise<void> {
    try {
      await this.db
        .createQueryBuilder()
        .update(Job)
        .set({ leaseExpiresAt: this.expiry() })
        .where("id = :jobId AND status = 'running'", { jobId })
        .execute();
    } catch (err) {
      // The next beat tries again; only a lease missed for a whole JOB_LEASE_SECONDS costs the job.
      this.logger.warn({ jobId, err: (err as Error).message }, 'Job lease not renewed');
    }
  }
}
