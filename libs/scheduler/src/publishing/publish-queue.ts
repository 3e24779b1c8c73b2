import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@atelier/core';

export const PUBLISH_POST_JOB = 'publish-post';
export const PUBLISH_BACKOFF = 'publish-backoff';
export const PUBLISH_ATTEMPTS = 5;

export interface PublishPostPayload {
  postId: string;
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

  async enqueue(postId: string): Promise<void> {
    const jobId = publishJobId(postId);
    // Bull ignores an add whose id still exists, even finished: a finished job (the post was
    // retried, or its time moved) must be removed first or the post would never be picked up again.
    const existing = await this.queue.getJob(jobId);
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) {
      await existing.remove().catch(() => undefined);
    }
    await this.queue.add(
      PUBLISH_POST_JOB,
      { postId },
      { jobId, attempts: PUBLISH_ATTEMPTS, backoff: { type: PUBLISH_BACKOFF } },
    );
  }
}
