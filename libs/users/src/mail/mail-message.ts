/** A mail as queued: everything the worker needs to send it, rendered already. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The action link, logged when no SMTP server is configured so a local user can follow it. */
  link?: string;
}

export const MailJob = { Send: 'send' } as const;

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function actionMail(to: string, subject: string, intro: string, action: string, link: string): MailMessage {
  return {
    to,
    subject,
    link,
    text: `${intro}\n\n${action}: ${link}\n\nIf you did not ask for this, ignore this mail.\n`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p><p>If you did not ask for this, ignore this mail.</p>`,
  };
}

export function verificationMail(to: string, link: string): MailMessage {
  return actionMail(
    to,
    'Confirm your email address',
    'Welcome to Atelier! Confirm your email address (the link is valid for 24 hours).',
    'Confirm my email',
    link,
  );
}

export function passwordResetMail(to: string, link: string): MailMessage {
  return actionMail(
    to,
    'Reset your password',
    'Someone asked to reset the password of your Atelier account (the link is valid for 1 hour).',
    'Choose a new password',
    link,
  );
}
