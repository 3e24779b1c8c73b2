import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@atelier/core';
import { MailJob, MailMessage } from './mail-message';

/**
 * Queues mails for the worker: requests never wait on SMTP, and a failed send is retried with
 * backoff. The payload carries the rendered mail because its token exists nowhere else in clear.
 */
@Injectable()
export class MailOutbox {
  constructor(@InjectQueue(QueueName.Mail) private readonly queue: Queue<MailMessage>) {}

  /** `id` (the token row's id) makes the enqueue idempotent. */
  async send(id: string, message: MailMessage): Promise<void> {
    await this.queue.add(MailJob.Send, message, {
      jobId: id,
      attempts: 5,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: true,
    });
  }
}
