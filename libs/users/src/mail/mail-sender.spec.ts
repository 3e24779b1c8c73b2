import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { Env } from '@atelier/core';
import { verificationMail } from './mail-message';
import { MailSender } from './mail-sender';

const configWith = (values: Partial<Env>) =>
  ({ get: (key: keyof Env) => values[key] }) as unknown as ConfigService<Env, true>;

describe('MailSender without SMTP_URL', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes the mail and its link to the log instead of sending it', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const sender = new MailSender(configWith({ MAIL_FROM: 'Atelier <no-reply@atelier.test>' }));
    const link = 'http://localhost:3000/verify-email?token=abc123abc123abc123';
    await sender.send(verificationMail('ada@example.test', link));
    expect(log).toHaveBeenCalledTimes(1);
    const [fields, message] = log.mock.calls[0] as [Record<string, unknown>, string];
    expect(fields).toMatchObject({ to: 'ada@example.test', link });
    expect(message).toContain(link);
    sender.onModuleDestroy();
  });
});
