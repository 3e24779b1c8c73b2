import nodemailer from 'nodemailer';
import { startSmtpFake, tokenFromMail, type SmtpFake } from './smtp.fake';

describe('SMTP fake, driven by nodemailer', () => {
  let fake: SmtpFake;
  beforeEach(async () => {
    fake = await startSmtpFake();
  });
  afterEach(() => fake.close());

  it('captures a multipart mail and extracts the token link', async () => {
    const transport = nodemailer.createTransport(fake.url);
    const link = `https://atelier.test/verify?email=a%40b.test&token=tok_${'x'.repeat(80)}%2B1`;
    const waiting = fake.waitForMail((mail) => mail.to.includes('bob@example.test'));
    await transport.sendMail({
      from: 'Atelier <no-reply@atelier.test>',
      to: 'bob@example.test',
      subject: 'Vérifiez votre adresse ✓',
      text: `Bonjour,\n\nOpen ${link} to confirm. Ça marche.\n`,
      html: `<p>Open <a href="${link.replace(/&/g, '&amp;')}">this link</a></p>`,
    });
    const mail = await waiting;
    expect(mail.subject).toBe('Vérifiez votre adresse ✓');
    expect(mail.from).toBe('no-reply@atelier.test');
    expect(mail.text).toContain('Ça marche.');
    expect(mail.html).toContain('<a href=');
    expect(tokenFromMail(mail)).toBe(`tok_${'x'.repeat(80)}+1`);
    expect(tokenFromMail(mail, 'email')).toBe('a@b.test');
    expect(() => tokenFromMail(mail, 'missing')).toThrow(/No "missing=" link/);
    transport.close();
  });

  it('times out with a clear message when no mail matches', async () => {
    await expect(fake.waitForMail(() => false, 50)).rejects.toThrow(
      'Timed out after 50 ms waiting for a matching mail',
    );
  });
});
