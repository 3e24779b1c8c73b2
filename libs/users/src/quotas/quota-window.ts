/**
 * Quota periods are UTC days, so every user's allowance resets at the same instant whatever their
 * time zone, and `resetsAt` can be shown as an absolute time.
 */

/** The UTC calendar day containing `now`, as 'YYYY-MM-DD' (the quota period key). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The next UTC midnight strictly after `now` (when the current quota period ends). */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
