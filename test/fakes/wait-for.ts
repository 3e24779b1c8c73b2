import type { EventEmitter } from 'node:events';

export interface WaitOptions {
  /** Upper bound; the wait rejects after it. Default 5000 ms. */
  timeoutMs?: number;
  /** What is awaited, for the timeout message ("the second tweet", "a mail to bob@…"). */
  description?: string;
}

export const DEFAULT_WAIT_MS = 5000;

/**
 * Resolves with the first truthy value `check` returns, evaluated now and again after every
 * `event` the emitter fires: event-driven (no polling) yet it cannot miss something that happened
 * before the wait began, since the check reads state (e.g. `fake.requests`) rather than the event.
 * Rejects with a message naming what was awaited when the bound passes.
 *
 *   await waitFor(fake, 'request', () => fake.requests.find((r) => r.path === '/2/tweets'));
 */
export function waitFor<T>(
  emitter: EventEmitter,
  event: string | readonly string[],
  check: () => T | undefined | null | false,
  options: WaitOptions = {},
): Promise<T> {
  const events = typeof event === 'string' ? [event] : [...event];
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const name of events) emitter.off(name, onEvent);
    };
    const attempt = (): boolean => {
      let value: T | undefined | null | false;
      try {
        value = check();
      } catch (error) {
        cleanup();
        reject(error instanceof Error ? error : new Error(String(error)));
        return true;
      }
      if (!value) return false;
      cleanup();
      resolve(value);
      return true;
    };
    const onEvent = (): void => void attempt();
    const timer = setTimeout(() => {
      cleanup();
      const what = options.description ?? `a match after '${events.join("' / '")}'`;
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    for (const name of events) emitter.on(name, onEvent);
    attempt();
  });
}

/**
 * Resolves with the payload of the next `event` whose payload satisfies `predicate` (future events
 * only; use {@link waitFor} when the thing may already have happened).
 */
export function waitForEvent<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  options: WaitOptions = {},
): Promise<T> {
  let matched: T | undefined;
  let seen = false;
  const listener = (payload: T): void => {
    if (!seen && predicate(payload)) {
      matched = payload;
      seen = true;
    }
  };
  emitter.on(event, listener);
  return waitFor(emitter, event, () => (seen ? { value: matched as T } : undefined), {
    description: `event '${event}'`,
    ...options,
  }).then(
    (box) => {
      emitter.off(event, listener);
      return box.value;
    },
    (error: unknown) => {
      emitter.off(event, listener);
      throw error;
    },
  );
}
