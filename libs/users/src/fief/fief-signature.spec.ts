import { createHmac } from 'node:crypto';
import { checkFiefSignature } from './fief-signature';

const secret = 'whsec-test';
const body = Buffer.from('{"type": "user.created", "data": {"id": "u1", "email": "a@b.c"}}');
const now = new Date('2026-05-01T12:00:00Z');
const ts = String(now.getTime() / 1000);
const sign = (timestamp: string, payload: Buffer = body, key = secret) =>
  createHmac('sha256', key).update(`${timestamp}.`).update(payload).digest('hex');

describe('checkFiefSignature', () => {
  it.each<[string, string | undefined, string | undefined, Buffer, string]>([
    ['a fresh, correct signature', sign(ts), ts, body, 'valid'],
    ['upper-case hex', sign(ts).toUpperCase(), ts, body, 'valid'],
    ['299 s old', sign(String(Number(ts) - 299)), String(Number(ts) - 299), body, 'valid'],
    ['301 s old', sign(String(Number(ts) - 301)), String(Number(ts) - 301), body, 'stale'],
    ['301 s in the future', sign(String(Number(ts) + 301)), String(Number(ts) + 301), body, 'stale'],
    ['another body', sign(ts), ts, Buffer.from(`${body.toString()} `), 'invalid'],
    ['another secret', sign(ts, body, 'other'), ts, body, 'invalid'],
    ['a signature for another timestamp', sign(String(Number(ts) - 1)), ts, body, 'invalid'],
    ['no signature', undefined, ts, body, 'invalid'],
    ['no timestamp', sign(ts), undefined, body, 'invalid'],
    ['a non-numeric timestamp', sign('12a'), '12a', body, 'invalid'],
  ])('%s → %s', (_name, signature, timestamp, payload, expected) => {
    expect(checkFiefSignature(secret, payload, signature, timestamp, now)).toBe(expected);
  });
});
