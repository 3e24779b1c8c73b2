import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { QueueName, retryAfterBackoff } from '@atelier/core';

export const PUBLISH_POST_JOB = 'publish-post';
export const PUBLISH_BACKOFF = 'publish-backoff';
/** The same backoff for a job that continues a delivery whose first attempt was made in-process. */
export const PUBLISH_BACKOFF_AFTER_FIRST = 'publish-backoff-after-first';
export const PUBLISH_ATTEMPTS = 5;

/** Backoff for publish retries: exponential from 2 s, but never sooner than the platform asked (429 reset). */
export const publishBackoff = retryAfterBackoff(2000, 15 * 60_000);

export interface PublishPostPayload {
  postId: string;
  /** The claim of a delivery the cron started in-process (PostPublishingService.publishDue). */
  claimToken?: string;
}

export function publishJobId(postId: string): string {
  return `publish:${postId}`;
}

/**
 * Puts a post on the publishing queue under its deterministic job id, so the cron, publish-now and
 * a second worker all land on one job. The database claim (PublishPostProcessor) is what
 * guarantees a single publication; the job id only avoids useless duplicate work.
 */
@Injectable()
export class PublishQueue {
  constructor(@InjectQueue(QueueName.Publishing) private readonly queue: Queue<PublishPostPayload>) {}

  enqueue(postId: string): Promise<void> {
    return this.add({ postId }, { attempts: PUBLISH_ATTEMPTS, backoff: { type: PUBLISH_BACKOFF } });
  }

  /**
   * The remaining attempts of a delivery the cron started in-process, whose first attempt failed
   * (and released the post for a retry, or was cut off): a job under the same claim token, due
   * after the first backoff, so retries and reconciliation go as for any publishing job.
   */
  enqueueRetry(postId: string, claimToken: string, error: unknown): Promise<void> {
    return this.add(
      { postId, claimToken },
      {
        delay: publishBackoff(1, error),
        attempts: PUBLISH_ATTEMPTS - 1,
        backoff: { type: PUBLISH_BACKOFF_AFTER_FIRST },
      },
    );
  }

  private async add(payload: PublishPostPayload, options: JobOptions): Promise<void> {
    const jobId = publishJobId(payload.postId);
    // Bull ignores an add whose id still exists, even finished: a finished job (the post was
    // retried, or its time moved) must be removed first or the post would never be picked up again.
    const existing = await this.queue.getJob(jobId);
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) {
      await existing.remove().catch(() => undefined);
    }
    await this.queue.add(PUBLISH_POST_JOB, payload, { ...options, jobId });
  }
}
