import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMessage } from './mime-message';
import { waitFor, type WaitOptions } from './wait-for';

/*
 * SMTP capture on loopback with the `smtp-server` package (providers.md § SMTP). No TLS, any
 * or no AUTH accepted, every message kept raw and parsed (see mime-message.ts). Emits 'mail'
 * for each captured message, so tests wait on it instead of polling.
 */

export interface CapturedMail {
  /** Envelope sender and recipients (what the SMTP client said, not the headers). */
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  raw: string;
  receivedAt: Date;
}

export class SmtpFake extends EventEmitter {
  url = '';
  host = '127.0.0.1';
  port = 0;
  readonly mails: CapturedMail[] = [];
  private readonly server: SMTPServer;

  constructor() {
    super();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // An app's pooled connection would otherwise hold close() for smtp-server's default 30 s.
      closeTimeout: 100,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = parseMessage(raw);
          const mail: CapturedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            ...parsed,
            raw,
            receivedAt: new Date(),
          };
          this.mails.push(mail);
          this.emit('mail', mail);
          callback();
        });
      },
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    this.url = `smtp://${this.host}:${this.port}`;
    return this;
  }

  /** Resolves with the first captured mail (past or future) that matches. */
  waitForMail(
    predicate: (mail: CapturedMail) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<CapturedMail> {
    const options: WaitOptions = { description: 'a matching mail', timeoutMs };
    return waitFor(this, 'mail', () => this.mails.find(predicate), options);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The value of `param` (default `token`) in the first link of the mail that carries it (text
 * part first, then HTML). Throws, naming the mail, when there is none.
 */
export function tokenFromMail(mail: CapturedMail, param = 'token'): string {
  const pattern = new RegExp(`[?&]${param}=([^&\\s"'<>]+)`);
  for (const body of [mail.text, mail.html?.replace(/&amp;/g, '&')]) {
    const match = body ? pattern.exec(body) : null;
    if (match) return decodeURIComponent(match[1]);
  }
  throw new Error(`No "${param}=" link in the mail "${mail.subject}" to ${mail.to.join(', ')}`);
}

export async function startSmtpFake(): Promise<SmtpFake> {
  return new SmtpFake().listen();
}
