/** Seconds a client should wait before retrying while Redis or PostgreSQL is away. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

// Transport failures reaching Redis or PostgreSQL (ioredis, pg).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// SQLSTATEs of a database that is down, restarting or full: class 08 (connection exception),
// 57P01-57P03 (shutdown, crash, cannot connect now), 53300 (too many connections).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
// ioredis and pg say "unavailable" in messages only: a closed or never-writable connection, a
// command that gave up reconnecting, a pool that could not connect in time.
const UNAVAILABLE_MESSAGE =
  /Connection is closed|Stream isn't writeable|Reached the max retries per request|Connection terminated|timeout exceeded when trying to connect/i;

/**
 * True when an error means Redis or PostgreSQL cannot be reached right now: the request did not
 * fail for what it asked, so it is a 503 with Retry-After, not a 500. Looks through the causes
 * (TypeORM keeps the driver's error in `driverError`).
 */
export function isDependencyOutage(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length) {
    const current = queue.shift() as { code?: unknown; message?: unknown; name?: unknown } | undefined;
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const code = typeof current.code === 'string' ? current.code : '';
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
    if (current.name === 'MaxRetriesPerRequestError') return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGE.test(current.message)) return true;
    const { cause, driverError, errors } = current as {
      cause?: unknown;
      driverError?: unknown;
      errors?: unknown;
    };
    queue.push(cause, driverError, ...(Array.isArray(errors) ? errors : []));
  }
  return false;
}
