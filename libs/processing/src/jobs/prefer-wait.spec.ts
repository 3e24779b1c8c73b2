import { MAX_WAIT_SECONDS, preferredWaitSeconds } from './prefer-wait';

describe('preferredWaitSeconds (RFC 7240 Prefer: wait)', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['wait=10', 10],
    ['WAIT = 5', 5],
    ['wait="7"', 7],
    ['respond-async, wait=3', 3],
    ['return=representation,wait=4;foo=bar', 4],
    [['handling=lenient', 'wait=2'], 2],
    ['wait', MAX_WAIT_SECONDS],
    ['wait=0', 0],
    ['wait=3600', MAX_WAIT_SECONDS],
    ['wait=99999999999999999999999', MAX_WAIT_SECONDS],
    ['wait=-1', undefined],
    ['wait=1.5', undefined],
    ['wait=soon', undefined],
    ['waiting=5', undefined],
    ['respond-async', undefined],
  ])('%j → %j', (header, expected) => {
    expect(preferredWaitSeconds(header as string | string[] | undefined)).toBe(expected);
  });
});
