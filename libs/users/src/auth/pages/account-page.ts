import { escapeHtml } from '../../mail/mail-message';

/**
 * The small HTML pages that mailed links open when no web client is configured (WEB_URL unset):
 * plain markup, no inline script or style, so they work under the API's Content-Security-Policy.
 */
export function accountPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Atelier</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>
</html>
`;
}

export function messagePage(title: string, message: string): string {
  return accountPage(title, `<p id="message">${escapeHtml(message)}</p>`);
}

/** The reset form; reset-password.script.ts submits it to POST /auth/password/reset as JSON. */
export function resetPasswordPage(token: string, scriptUrl: string): string {
  return accountPage(
    'Choose a new password',
    `<form id="reset" data-token="${escapeHtml(token)}">
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" maxlength="512" required>
<button type="submit">Set my password</button>
</form>
<p id="message" role="status"></p>
<script src="${escapeHtml(scriptUrl)}"></script>`,
  );
}
