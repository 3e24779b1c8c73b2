const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 10 * 60_000;

/**
 * Delay before retry number `attemptsMade` (1 after the first failure): exponential from 2 s,
 * but never sooner than the provider asked (Retry-After, Hugging Face's estimated load time).
 */
export function generationBackoff(attemptsMade: number, err?: unknown): number {
  const exponential = BASE_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1);
  const retryAfterMs = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  const asked = typeof retryAfterMs === 'number' ? retryAfterMs : 0;
  return Math.min(MAX_DELAY_MS, Math.max(exponential, asked));
}
