import { passwordResetMail, verificationMail } from './mail-message';

describe('account mails', () => {
  it.each([
    ['verification', verificationMail, /Confirm your email/],
    ['password reset', passwordResetMail, /Reset your password/],
  ])('%s mail carries its link in text and HTML', (_name, build, subject) => {
    const link = 'https://atelier.test/verify-email?token=abc_DEF-123&x=<1>';
    const mail = build('ada@example.test', link);
    expect(mail).toMatchObject({ to: 'ada@example.test', link });
    expect(mail.subject).toMatch(subject);
    expect(mail.text).toContain(link);
    expect(mail.html).toContain('href="https://atelier.test/verify-email?token=abc_DEF-123&amp;x=&lt;1&gt;"');
    expect(mail.html).not.toContain('<1>');
  });
});
