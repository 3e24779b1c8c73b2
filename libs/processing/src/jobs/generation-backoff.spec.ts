import { ExternalServiceError } from '@atelier/core';
import { generationBackoff } from './generation-backoff';

describe('generationBackoff', () => {
  it('doubles from 2 s per attempt', () => {
    expect([1, 2, 3, 4].map((n) => generationBackoff(n))).toEqual([2000, 4000, 8000, 16000]);
  });

  it('waits at least as long as the provider asked', () => {
    const err = new ExternalServiceError({
      kind: 'retryable',
      code: 'provider_unavailable',
      service: 'huggingface',
      message: 'loading',
      retryAfterMs: 20_000,
    });
    expect(generationBackoff(1, err)).toBe(20_000);
  });

  it('never waits more than ten minutes', () => {
    expect(generationBackoff(30)).toBe(600_000);
  });
});
