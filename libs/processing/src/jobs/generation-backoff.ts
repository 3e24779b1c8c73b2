import { retryAfterBackoff } from '@atelier/core';

/**
 * Delay before retry number `attemptsMade` (1 after the first failure): exponential from 2 s,
 * but never sooner than the provider asked (Retry-After, Hugging Face's estimated load time).
 */
export const generationBackoff = retryAfterBackoff(2000, 10 * 60_000);
