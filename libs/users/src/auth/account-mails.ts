import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { API_PREFIX, type Env } from '@atelier/core';
import { MailOutbox } from '../mail/mail-outbox';
import { passwordResetMail, verificationMail } from '../mail/mail-message';
import { EmailTokensService } from './email-tokens.service';

/** Issues a mailed token and queues the mail carrying its link. */
@Injectable()
export class AccountMails {
  private readonly logger = new Logger(AccountMails.name);
  /** Where each link points: the web client's pages, or else the API's own (AccountPagesController). */
  private readonly pages: Record<'verify' | 'reset', string>;

  constructor(
    private readonly tokens: EmailTokensService,
    private readonly outbox: MailOutbox,
    config: ConfigService<Env, true>,
  ) {
    const webUrl = config.get('WEB_URL', { infer: true })?.replace(/\/$/, '');
    const apiUrl = `${config.get('APP_URL', { infer: true }).replace(/\/$/, '')}/${API_PREFIX}/auth`;
    this.pages = webUrl
      ? { verify: `${webUrl}/verify-email`, reset: `${webUrl}/reset-password` }
      : { verify: `${apiUrl}/verify-email`, reset: `${apiUrl}/password/reset` };
  }

  async sendVerification(userId: string, email: string): Promise<void> {
    const { id, token } = await this.tokens.issue(userId, 'verify_email', email);
    await this.outbox.send(id, verificationMail(email, this.link(this.pages.verify, token)));
  }

  async sendPasswordReset(userId: string, email: string): Promise<void> {
    const { id, token } = await this.tokens.issue(userId, 'reset_password', email);
    await this.outbox.send(id, passwordResetMail(email, this.link(this.pages.reset, token)));
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

  private link(page: string, token: string): string {
    return `${page}?token=${encodeURIComponent(token)}`;
  }
}
