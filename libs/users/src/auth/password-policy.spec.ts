import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPassword, isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';

const user = { email: 'Ada.Lovelace2024@example.com', username: 'analytical_engine' };

describe('checkPassword', () => {
  it.each<[string, string, RegExp]>([
    ['empty', '', /at least 10 characters/],
    ['9 characters', 'Xk3!pQ9zR', /at least 10 characters/],
    ['9 characters with an emoji counted once', 'Xk3!pQ9z🔐', /at least 10 characters/],
    ['129 characters', 'a1B2'.repeat(32) + 'c', /at most 128 characters/],
    ['password123', 'password123', /too common/],
    ['qwertyuiop', 'qwertyuiop', /too common/],
    ['1234567890', '1234567890', /too common/],
    ['common list, any case', 'QwErTyUiOp', /too common/],
    ['iloveyou123', 'iloveyou123', /too common/],
    ['equal to the username', 'analytical_engine', /username or email/],
    ['equal to the username, other case', 'Analytical_Engine', /username or email/],
    ['equal to the email local part', 'ada.lovelace2024', /username or email/],
    ['equal to the whole email', 'ada.lovelace2024@example.com', /username or email/],
  ])('refuses %s', (_name, password, message) => {
    expect(checkPassword(password, user)).toMatch(message);
  });

  it.each<[string, string]>([
    ['exactly 10 characters', 'Xk3!pQ9zRt'],
    ['exactly 128 characters', 'a1B2'.repeat(32)],
    ['a passphrase', 'correct horse battery staple'],
    ['unicode', 'mot de passe à rallonge ✓'],
    ['containing (not equal to) the username', 'analytical_engine_is_mine'],
    ['a common word plus more', 'password123 but longer and odd'],
  ])('accepts %s', (_name, password) => {
    expect(checkPassword(password, user)).toBeNull();
  });

  it('works without user details', () => {
    expect(checkPassword('Xk3!pQ9zRt')).toBeNull();
    expect(checkPassword('Xk3!pQ9zRt', { email: undefined, username: '' })).toBeNull();
    expect(checkPassword('qwertyuiop', {})).toMatch(/too common/);
  });

  it('exports the bounds used by the rules', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([10, 128]);
  });
});

describe('common-passwords.txt', () => {
  const lines = readFileSync(join(__dirname, 'common-passwords.txt'), 'utf8').split('\n');
  const entries = lines.filter((l) => l && !l.startsWith('#'));

  it('names its source and licence on the first line', () => {
    expect(lines[0]).toMatch(/^# Source: .*@zxcvbn-ts\/language-common.*licence MIT/);
  });

  it('holds at least the top 10,000 entries, lower-case, unique, without blanks', () => {
    expect(entries.length).toBeGreaterThanOrEqual(10_000);
    expect(new Set(entries).size).toBe(entries.length);
    expect(entries.every((e) => e === e.toLowerCase() && !/\s/.test(e))).toBe(true);
    expect(entries.slice(0, 3)).toEqual(['123456', 'password', '12345678']);
  });

  it('is what isCommonPassword consults', () => {
    expect(isCommonPassword('123456')).toBe(true);
    expect(isCommonPassword(entries[entries.length - 1].toUpperCase())).toBe(true);
    expect(isCommonPassword('# Source')).toBe(false);
    expect(isCommonPassword('Xk3!pQ9zRt-unlikely')).toBe(false);
  });
});
