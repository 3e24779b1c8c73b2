import { randomBytes } from 'node:crypto';
import { parseTokenEncryptionKey, TokenCipher, TokenCipherError } from './token-cipher';

const KEY_BYTES = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const HEX_KEY = KEY_BYTES.toString('hex');
const cipher = new TokenCipher(HEX_KEY);

/** Flips one bit of one base64url part of an encrypted value. */
function flip(encrypted: string, part: 1 | 2 | 3): string {
  const parts = encrypted.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('parseTokenEncryptionKey', () => {
  it.each([
    ['hex', HEX_KEY],
    ['upper-case hex', HEX_KEY.toUpperCase()],
    ['base64 with padding', KEY_BYTES.toString('base64')],
    ['base64 without padding', KEY_BYTES.toString('base64').replace(/=$/, '')],
    ['base64url', KEY_BYTES.toString('base64url')],
    ['surrounding whitespace', `  ${HEX_KEY}\n`],
  ])('accepts %s', (_name, key) => {
    expect(parseTokenEncryptionKey(key).equals(KEY_BYTES)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['a passphrase', 'correct horse battery staple'],
    ['63 hex characters', HEX_KEY.slice(1)],
    ['65 hex characters', `${HEX_KEY}0`],
    ['hex with a non-hex character', `g${HEX_KEY.slice(1)}`],
    ['16 bytes of base64', randomBytes(16).toString('base64')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['not a string', undefined as unknown as string],
  ])('refuses %s', (_name, key) => {
    expect(() => parseTokenEncryptionKey(key)).toThrow(TokenCipherError);
    expect(() => new TokenCipher(key)).toThrow('32 bytes');
  });
});

describe('TokenCipher', () => {
  it.each(['', 'a', 'EAAG-access-token|with.dots', 'ünïcødé 🔐 日本語', 'x'.repeat(10_000)])(
    'round-trips %j',
    (plain) => {
      expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
    },
  );

  it('decrypts with the same key given in another encoding', () => {
    const encrypted = cipher.encrypt('secret');
    expect(new TokenCipher(KEY_BYTES.toString('base64')).decrypt(encrypted)).toBe('secret');
  });

  it('writes v1.<iv>.<tag>.<ciphertext> with a 12-byte IV and 16-byte tag in base64url', () => {
    const encrypted = cipher.encrypt('hello');
    expect(encrypted).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    const [, iv, tag, ciphertext] = encrypted.split('.');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(5);
    expect(encrypted).not.toContain('hello');
  });

  it('uses a fresh IV each time', () => {
    const values = new Set(Array.from({ length: 50 }, () => cipher.encrypt('same')));
    expect(values.size).toBe(50);
    expect(new Set([...values].map((v) => v.split('.')[1])).size).toBe(50);
  });

  it.each([
    ['the IV', 1],
    ['the tag', 2],
    ['the ciphertext', 3],
  ] as const)('detects tampering with %s', (_name, part) => {
    const encrypted = cipher.encrypt('access-token-value');
    expect(() => cipher.decrypt(flip(encrypted, part))).toThrow('wrong key or tampered');
  });

  it('refuses a value encrypted under another key', () => {
    const other = new TokenCipher(randomBytes(32).toString('hex'));
    expect(() => cipher.decrypt(other.encrypt('secret'))).toThrow(TokenCipherError);
  });

  it('binds associated data: the same context decrypts, another one does not', () => {
    const encrypted = cipher.encrypt('token', 'account:1');
    expect(cipher.decrypt(encrypted, 'account:1')).toBe('token');
    expect(() => cipher.decrypt(encrypted, 'account:2')).toThrow(TokenCipherError);
    expect(() => cipher.decrypt(encrypted)).toThrow(TokenCipherError);
    expect(() => cipher.decrypt(cipher.encrypt('token'), 'account:1')).toThrow(TokenCipherError);
  });

  it.each([
    ['another version', (v: string) => v.replace(/^v1\./, 'v2.'), 'Unsupported encrypted value version "v2"'],
    ['no version', (v: string) => v.replace(/^v1\./, ''), 'malformed'],
    ['an extra part', (v: string) => `${v}.AAAA`, 'malformed'],
    ['a short IV', (v: string) => v.replace(/^v1\.[^.]+/, 'v1.AAAA'), 'malformed'],
    ['non-base64url characters', (v: string) => v.replace(/^v1\.[^.]+/, 'v1.!!!!!!!!!!!!!!!!'), 'malformed'],
    ['plain text', () => 'not encrypted at all', 'malformed'],
    ['empty', () => '', 'malformed'],
  ])('refuses %s', (_name, mangle, message) => {
    expect(() => cipher.decrypt(mangle(cipher.encrypt('secret')))).toThrow(message);
  });
});
