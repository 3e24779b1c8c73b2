import { Process, Processor } from '@nestjs/bull';
import type { Job as BullJob } from 'bull';
import { QueueName } from '@atelier/core';
import { type JobWebhookJobData, JobWebhookJobName } from './job-webhook-events';
import { JobWebhooks } from './job-webhooks.service';

/** Delivers job webhooks; Bull retries a failed delivery with backoff (see JobWebhooks.raise). */
@Processor(QueueName.Webhooks)
export class JobWebhookProcessor {
  constructor(private readonly webhooks: JobWebhooks) {}

  @Process(JobWebhookJobName.Deliver)
  deliver(job: BullJob<JobWebhookJobData>) {
    return this.webhooks.deliver(job.data);
  }
}
