import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job as BullJob, Queue } from 'bull';
import { Env, QueueName } from '@atelier/core';
import { GenerationJobData, GenerationJobName } from '../processing.types';
import type { Job } from './job.entity';

/** Name of the backoff strategy GenerationProcessor registers (honours the provider's Retry-After). */
export const GENERATION_BACKOFF = 'generation';
// Redis may be away: a submit must still answer, and the reconciler enqueues the row later.
const ENQUEUE_TIMEOUT_MS = 3000;

/** Puts job rows on the generation queue; the Bull job id is the row id, so enqueueing is idempotent. */
@Injectable()
export class JobQueueService {
  private readonly logger = new Logger(JobQueueService.name);
  private readonly attempts: number;

  constructor(
    @InjectQueue(QueueName.Generation) readonly queue: Queue<GenerationJobData>,
    config: ConfigService<Env, true>,
  ) {
    this.attempts = config.get('JOB_ATTEMPTS', { infer: true });
  }

  /** True when the job is on the queue now; false when Redis could not be reached. */
  async enqueue(job: Job, delayMs = 0): Promise<boolean> {
    const add = this.queue.add(
      GenerationJobName.Run,
      { jobId: job.id, ownerId: job.ownerId },
      {
        jobId: job.id,
        priority: job.queuePriority,
        // Attempts already spent (before a deferral or a lost queue entry) still count.
        attempts: Math.max(1, this.attempts - job.attempts),
        backoff: { type: GENERATION_BACKOFF },
        delay: delayMs,
        // The row keeps the record; the id must be free for a re-enqueue after a deferral.
        removeOnComplete: true,
      },
    );
    try {
      await withTimeout(add, ENQUEUE_TIMEOUT_MS);
      return true;
    } catch (err) {
      this.logger.warn(
        { jobId: job.id, err: (err as Error).message },
        'Could not enqueue; the reconciler will',
      );
      return false;
    }
  }

  getBullJob(id: string): Promise<BullJob<GenerationJobData> | null> {
    return this.queue.getJob(id);
  }

  /** Removes a job that no worker holds; false when it is running (locked) or unknown. */
  async removeWaiting(id: string): Promise<boolean> {
    try {
      const job = await withTimeout(this.queue.getJob(id), ENQUEUE_TIMEOUT_MS);
      if (!job || (await job.isActive())) return false;
      await job.remove();
      return true;
    } catch {
      return false;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
