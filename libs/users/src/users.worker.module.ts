import { Module } from '@nestjs/common';
import { QueueJobs, QueueName } from '@atelier/core';
import { MailJob } from './mail/mail-message';
import { MailProcessor } from './mail/mail.processor';
import { MailSender } from './mail/mail-sender';
import { ExpiredTokensCron } from './sessions/expired-tokens.cron';
import { UsersModule } from './users.module';

/** Sends the mails queued by the users lib and purges spent tokens. */
@Module({
  imports: [UsersModule],
  providers: [MailSender, MailProcessor, ExpiredTokensCron],
})
export class UsersWorkerModule {
  static readonly jobs: QueueJobs = { [QueueName.Mail]: Object.values(MailJob) };
}
