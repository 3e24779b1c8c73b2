import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { QueueName } from '@atelier/core';
import { MailJob, MailMessage } from './mail-message';
import { MailSender } from './mail-sender';

@Processor(QueueName.Mail)
export class MailProcessor {
  constructor(private readonly sender: MailSender) {}

  /** A throw makes Bull retry with the backoff MailOutbox set. */
  @Process(MailJob.Send)
  async sendMail(job: Job<MailMessage>): Promise<void> {
    await this.sender.send(job.data);
  }
}
