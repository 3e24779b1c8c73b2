import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '@atelier/core';
import { MailOutbox } from '../mail/mail-outbox';
import { passwordResetMail, verificationMail } from '../mail/mail-message';
import { EmailTokensService } from './email-tokens.service';

/** Issues a mailed token and queues the mail carrying its link. */
@Injectable()
export class AccountMails {
  private readonly logger = new Logger(AccountMails.name);
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

  /**
   * Runs an account lookup and its mail after the answer is sent: whether an account exists must
   * show neither in the answer of forgot-password / resend-verification nor in its timing.
   */
  afterAnswer(purpose: string, work: () => Promise<void>): void {
    setImmediate(() => {
      work().catch((error: Error) => {
        this.logger.error({ purpose, err: error.message }, 'Could not send an account mail');
      });
    });
  }

  private link(path: string, token: string): string {
    return `${this.appUrl}/${path}?token=${encodeURIComponent(token)}`;
  }
}
