import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '@atelier/core';
import { MailOutbox } from '../mail/mail-outbox';
import { passwordResetMail, verificationMail } from '../mail/mail-message';
import { EmailTokensService } from './email-tokens.service';

/** Issues a mailed token and queues the mail carrying its link. */
@Injectable()
export class AccountMails {
  private readonly appUrl: string;

  constructor(
    private readonly tokens: EmailTokensService,
    private readonly outbox: MailOutbox,
    config: ConfigService<Env, true>,
  ) {
    this.appUrl = config.get('APP_URL', { infer: true }).replace(/\/$/, '');
  }

  async sendVerification(userId: string, email: string): Promise<void> {
    const { id, token } = await this.tokens.issue(userId, 'verify_email', email);
    await this.outbox.send(id, verificationMail(email, this.link('verify-email', token)));
  }

  async sendPasswordReset(userId: string, email: string): Promise<void> {
    const { id, token } = await this.tokens.issue(userId, 'reset_password', email);
    await this.outbox.send(id, passwordResetMail(email, this.link('reset-password', token)));
  }

  private link(path: string, token: string): string {
    return `${this.appUrl}/${path}?token=${encodeURIComponent(token)}`;
  }
}
