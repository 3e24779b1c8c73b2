import { ExternalServiceError } from '@atelier/core';
import { publishBackoff } from './publish-queue';

const rateLimited = (retryAfterMs: number) =>
  new ExternalServiceError({
    kind: 'retryable',
    code: 'provider_unavailable',
    service: 'x',
    message: '429',
    retryAfterMs,
  });

describe('publishBackoff', () => {
  it.each([
    [1, undefined, 2000],
    [2, undefined, 4000],
    [4, undefined, 16_000],
    [1, rateLimited(60_000), 60_000],
    [3, rateLimited(1000), 8000],
    [1, rateLimited(3_600_000), 15 * 60_000],
    [1, new Error('not classified'), 2000],
  ])('attempt %i after %p waits %i ms', (attemptsMade, error, expected) => {
    expect(publishBackoff(attemptsMade, error)).toBe(expected);
  });
});
