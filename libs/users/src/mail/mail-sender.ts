import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';
import type { Env } from '@atelier/core';
import type { MailMessage } from './mail-message';

/** Sends over SMTP_URL; without it, writes each mail (and its link) to the log instead. */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger(MailSender.name);
  private readonly from: string;
  private readonly transport?: Transporter;

  constructor(config: ConfigService<Env, true>) {
    this.from = config.get('MAIL_FROM', { infer: true });
    const url = config.get('SMTP_URL', { infer: true });
    if (url) this.transport = createTransport(url);
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transport) {
      this.logger.log(
        { to: message.to, subject: message.subject, link: message.link },
        `Mail not sent (SMTP_URL is unset): "${message.subject}" to ${message.to} — ${message.link ?? ''}`,
      );
      return;
    }
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
