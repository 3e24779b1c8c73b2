import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { QueueName, registerBackoff } from '@atelier/core';
import { PostPublishingService } from './post-publishing.service';
import {
  PUBLISH_BACKOFF,
  PUBLISH_BACKOFF_AFTER_FIRST,
  PUBLISH_POST_JOB,
  publishBackoff,
  type PublishPostPayload,
} from './publish-queue';

@Processor(QueueName.Publishing)
export class PublishPostProcessor implements OnModuleInit, OnModuleDestroy {
  private readonly shutdown = new AbortController();

  constructor(
    private readonly publishing: PostPublishingService,
    @InjectQueue(QueueName.Publishing) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    registerBackoff(this.queue, PUBLISH_BACKOFF, publishBackoff);
    registerBackoff(this.queue, PUBLISH_BACKOFF_AFTER_FIRST, (attemptsMade, error) =>
      publishBackoff(attemptsMade + 1, error),
    );
  }

  onModuleDestroy(): void {
    // An attempt cut off here is found `publishing` without awaiting_retry by the next run: reconciled.
    this.shutdown.abort();
  }

  @Process({ name: PUBLISH_POST_JOB, concurrency: 4 })
  async publish(job: Job<PublishPostPayload>): Promise<string> {
    return this.publishing.run({
      postId: job.data.postId,
      // Same for every retry of this job, different for a job added again under the same id later.
      claimToken: job.data.claimToken ?? `${job.id}@${job.timestamp}`,
      lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      signal: this.shutdown.signal,
    });
  }
}
