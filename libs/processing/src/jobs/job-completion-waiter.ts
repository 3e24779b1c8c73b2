import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EventBus } from '@atelier/core';
import { FINAL_EVENT_TYPES, FINISHED_STATUSES } from '../processing.types';
import { Job } from './job.entity';
import { jobChannel, JobEventMessage } from './job-events.service';

/**
 * Holds a request until a job ends (`Prefer: wait`), whichever process runs it: it listens for
 * the job's final event on the EventBus, as the SSE stream does, rather than polling the row.
 */
@Injectable()
export class JobCompletionWaiter implements OnModuleDestroy {
  /** Pending waits, released (as "not finished") when the process shuts down. */
  private readonly pending = new Set<(ended: boolean) => void>();

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly bus: EventBus,
  ) {}

  /** True when the job has ended within `seconds`; false on timeout, abort or shutdown. */
  async waitForEnd(jobId: string, seconds: number, signal: AbortSignal): Promise<boolean> {
    let finish!: (ended: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => (finish = resolve));
    this.pending.add(finish);
    const timer = setTimeout(() => finish(false), seconds * 1000);
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) finish(false);
    const unsubscribe = await this.bus.subscribe(jobChannel(jobId), (_channel, payload) => {
      if (FINAL_EVENT_TYPES.has((payload as JobEventMessage).type)) finish(true);
    });
    try {
      // Subscribed first, then read: a job that ended before the subscription is seen here.
      const job = await this.jobs.findOne({ where: { id: jobId }, select: { id: true, status: true } });
      if (!job || FINISHED_STATUSES.includes(job.status)) finish(true);
      return await outcome;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.pending.delete(finish);
      // At shutdown the bus may already be closing; the subscription dies with it.
      await unsubscribe().catch(() => undefined);
    }
  }

  /** A shutdown does not wait out held requests: they answer 202 at once. */
  onModuleDestroy(): void {
    for (const finish of this.pending) finish(false);
  }
}
