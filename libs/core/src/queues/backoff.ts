import type { AdvancedSettings, Queue } from 'bull';

/** Delay in ms before retry number `attemptsMade` (1 after the first failure), given the failure. */
export type BackoffStrategy = (attemptsMade: number, error?: unknown) => number;

/**
 * Registers a custom backoff on this process's copy of the queue, for jobs added with
 * `backoff: { type: name }`. Bull looks strategies up in the settings of the process that ran the
 * job, so the processor registers it (in `onModuleInit`). Bull sets `settings` on every Queue but
 * its typings leave the property out: this is the one place that reaches for it.
 */
export function registerBackoff(queue: Queue, name: string, strategy: BackoffStrategy): void {
  const settings = (queue as Queue & { settings: AdvancedSettings }).settings;
  settings.backoffStrategies = { ...settings.backoffStrategies, [name]: strategy };
}

/**
 * Exponential from `baseMs`, capped at `maxMs`, but never sooner than the failure asked for
 * (`retryAfterMs`, as ExternalServiceError carries a Retry-After or a provider's estimate).
 */
export function retryAfterBackoff(baseMs: number, maxMs: number): BackoffStrategy {
  return (attemptsMade, error) => {
    const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
    const retryAfterMs = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    const asked = typeof retryAfterMs === 'number' ? retryAfterMs : 0;
    return Math.min(maxMs, Math.max(exponential, asked));
  };
}
