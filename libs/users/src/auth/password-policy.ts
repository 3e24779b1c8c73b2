import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Password rules (NIST SP 800-63B style: length and a blocklist, no composition rules):
 * 10–128 characters, not a commonly used password, not the user's own name or email.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const LIST_FILE = 'common-passwords.txt';
// The compiled build (dist/libs/users/src/auth) may not carry the .txt; fall back to the source tree.
const LIST_CANDIDATES = [
  join(__dirname, LIST_FILE),
  resolve(__dirname, '../../../../..', 'libs/users/src/auth', LIST_FILE),
];

let commonPasswords: Set<string> | undefined;

/** The common-password list, read once on first use. Throws if the file is missing: never fail open. */
function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const path = LIST_CANDIDATES.find((candidate) => existsSync(candidate));
    if (!path)
      throw new Error(`Password list ${LIST_FILE} not found (looked in ${LIST_CANDIDATES.join(', ')})`);
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    commonPasswords = new Set(lines.filter((line) => line && !line.startsWith('#')));
  }
  return commonPasswords;
}

export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(password.toLowerCase());
}

/** null when `password` is acceptable, otherwise a message to show the user. */
export function checkPassword(
  password: string,
  user: { email?: string; username?: string } = {},
): string | null {
  // Characters as people count them (code points), so an emoji is one, not two.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  if (isCommonPassword(password)) return 'This password is too common; choose one that is harder to guess.';

  const lowered = password.toLowerCase();
  const email = user.email?.trim().toLowerCase();
  const personal = [user.username, email, email?.split('@')[0]]
    .map((value) => value?.trim().toLowerCase())
    .filter((value): value is string => !!value);
  if (personal.includes(lowered)) return 'Password must not be your username or email address.';
  return null;
}
