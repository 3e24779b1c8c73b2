import { matchesIfNoneMatch } from './send-stored-object';

describe('matchesIfNoneMatch (RFC 9110 §13.1.2, weak comparison)', () => {
  const etag = '"5a-18c2f"';
  it.each([
    [undefined, false],
    ['', false],
    ['"5a-18c2f"', true],
    ['W/"5a-18c2f"', true],
    ['"other", "5a-18c2f"', true],
    ['"other",W/"5a-18c2f" ', true],
    ['*', true],
    ['"other"', false],
    ['5a-18c2f', false],
  ])('If-None-Match %j → %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, etag)).toBe(expected);
  });
});
