import { createHash, createHmac } from 'node:crypto';
import { generateOpaqueToken, hashToken, hmacSha256Hex, safeEqual } from './opaque-token';

describe('generateOpaqueToken', () => {
  it.each([
    [undefined, 43],
    [16, 22],
    [48, 64],
  ])('bytes=%s gives %d base64url characters', (bytes, length) => {
    const token = generateOpaqueToken(bytes);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(length);
    expect(Buffer.from(token, 'base64url')).toHaveLength(bytes ?? 32);
  });

  it('does not repeat', () => {
    expect(new Set(Array.from({ length: 1000 }, () => generateOpaqueToken())).size).toBe(1000);
  });

  it.each([0, 8, 15, 1025, 16.5, Number.NaN])('refuses %s bytes', (bytes) => {
    expect(() => generateOpaqueToken(bytes)).toThrow(RangeError);
  });
});

describe('hashToken', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('sha256(%j)', (token, expected) => {
    expect(hashToken(token)).toBe(expected);
  });

  it('hashes UTF-8 and is stable', () => {
    const token = generateOpaqueToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('é')).toBe(
      createHash('sha256')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest('hex'),
    );
  });
});

describe('safeEqual', () => {
  it.each<[string | Buffer, string | Buffer, boolean]>([
    ['abc', 'abc', true],
    ['', '', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['abcd', 'abc', false],
    ['', 'a', false],
    ['ABC', 'abc', false],
    [Buffer.from('abc'), 'abc', true],
    [Buffer.from([0xff]), Buffer.from([0xfe]), false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
  });
});

describe('hmacSha256Hex', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs a Fief-style "{timestamp}.{body}" payload as node:crypto does', () => {
    const body = Buffer.from('{"type":"user.created","data":{"id":"1"}}');
    const payload = Buffer.concat([Buffer.from('1700000000.'), body]);
    expect(hmacSha256Hex('whsec', payload)).toBe(createHmac('sha256', 'whsec').update(payload).digest('hex'));
    expect(hmacSha256Hex(Buffer.from('whsec'), payload.toString())).toBe(hmacSha256Hex('whsec', payload));
  });
});
