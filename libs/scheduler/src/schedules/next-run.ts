import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import type { FieldError } from '@atelier/core';

export type ScheduleFrequency = 'daily' | 'weekly' | 'monthly' | 'cron';
export const SCHEDULE_FREQUENCIES: readonly ScheduleFrequency[] = ['daily', 'weekly', 'monthly', 'cron'];

export interface ScheduleRule {
  frequency: ScheduleFrequency;
  /** Local wall-clock time 'HH:mm' (24 h); required for daily, weekly and monthly. */
  timeOfDay?: string;
  /** Weekly only: 0 = Sunday … 6 = Saturday, in the schedule's time zone. */
  daysOfWeek?: number[];
  /** Monthly only: 1..31; a month without that day runs on its last day. */
  dayOfMonth?: number;
  /** Cron only: five fields (minute hour day-of-month month day-of-week) or @hourly/@daily/… */
  cron?: string;
  /** IANA zone the rule is read in, e.g. 'Europe/Paris'. */
  timeZone: string;
}

export class InvalidScheduleRuleError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`Invalid schedule rule: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidScheduleRuleError';
  }
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
// Seconds-resolution and every-second/minute aliases are left out on purpose: posts are scheduled per minute.
const CRON_ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);
const HOUR_MS = 3_600_000;

/** Field errors for a rule, so the API can answer 400 naming each bad field; empty when the rule is usable. */
export function validateScheduleRule(rule: ScheduleRule): FieldError[] {
  const errors: FieldError[] = [];
  const zoneOk = typeof rule.timeZone === 'string' && IANAZone.isValidZone(rule.timeZone);
  if (!zoneOk) errors.push({ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Paris' });

  if (!SCHEDULE_FREQUENCIES.includes(rule.frequency)) {
    errors.push({ field: 'frequency', message: `must be one of ${SCHEDULE_FREQUENCIES.join(', ')}` });
    return errors;
  }
  if (rule.frequency === 'cron') {
    const message = cronError(rule.cron, zoneOk ? rule.timeZone : 'UTC');
    if (message) errors.push({ field: 'cron', message });
    return errors;
  }

  if (typeof rule.timeOfDay !== 'string' || !TIME_OF_DAY.test(rule.timeOfDay)) {
    errors.push({ field: 'timeOfDay', message: 'must be a 24-hour time HH:mm, e.g. 09:00' });
  }
  if (rule.frequency === 'weekly') {
    const days = rule.daysOfWeek;
    if (!Array.isArray(days) || days.length === 0) {
      errors.push({ field: 'daysOfWeek', message: 'must list at least one day (0 = Sunday … 6 = Saturday)' });
    } else if (!days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
      errors.push({
        field: 'daysOfWeek',
        message: 'each day must be an integer from 0 (Sunday) to 6 (Saturday)',
      });
    }
  }
  if (rule.frequency === 'monthly') {
    const day = rule.dayOfMonth;
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 31) {
      errors.push({ field: 'dayOfMonth', message: 'must be an integer from 1 to 31' });
    }
  }
  return errors;
}

/**
 * The first run of `rule` strictly after `after`.
 *
 * Daily, weekly and monthly rules are wall-clock times in the rule's zone, so 09:00 Europe/Paris stays
 * 09:00 local across DST changes. A time that does not exist (spring-forward gap) runs at the first
 * valid instant after the gap (02:30 → 03:00); an ambiguous autumn time runs at its first occurrence.
 * Cron rules are evaluated by cron-parser in the rule's zone and follow its DST handling (ambiguous
 * times: first occurrence; times in the gap are shifted by the gap length, 02:30 → 03:30).
 * Throws InvalidScheduleRuleError when the rule does not validate.
 */
export function computeNextRun(rule: ScheduleRule, after: Date): Date {
  const errors = validateScheduleRule(rule);
  if (errors.length > 0) throw new InvalidScheduleRuleError(errors);
  if (rule.frequency === 'cron') {
    return CronExpressionParser.parse(rule.cron!.trim(), { currentDate: after, tz: rule.timeZone })
      .next()
      .toDate();
  }

  const [hour, minute] = rule.timeOfDay!.split(':').map(Number);
  const zone = IANAZone.create(rule.timeZone);
  const afterMs = after.getTime();
  // Start a day early: a run moved forward out of a gap can land on the next local date.
  const start = DateTime.fromMillis(afterMs, { zone }).startOf('day').minus({ days: 1 });
  const startDate = DateTime.utc(start.year, start.month, start.day);

  if (rule.frequency === 'monthly') {
    for (let i = 0; i < 3; i++) {
      const month = startDate.startOf('month').plus({ months: i });
      const day = Math.min(rule.dayOfMonth!, month.daysInMonth!);
      const run = resolveLocal(zone, month.year, month.month, day, hour, minute);
      if (run > afterMs) return new Date(run);
    }
  } else {
    const days = new Set(rule.frequency === 'weekly' ? rule.daysOfWeek : [0, 1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < 10; i++) {
      const date = startDate.plus({ days: i });
      if (!days.has(date.weekday % 7)) continue; // luxon: 1 = Monday … 7 = Sunday
      const run = resolveLocal(zone, date.year, date.month, date.day, hour, minute);
      if (run > afterMs) return new Date(run);
    }
  }
  // Unreachable for a validated rule: every window above contains a run later than `after`.
  throw new Error('computeNextRun: no run found');
}

/**
 * Epoch ms of a local wall-clock time in `zone`: the earliest instant showing that time when it is
 * ambiguous, the end of the gap when it does not exist.
 */
function resolveLocal(zone: IANAZone, y: number, mo: number, d: number, h: number, mi: number): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Any instant showing `wall` lies within the span of possible UTC offsets (−12 h … +14 h);
  // the offsets at the ends of that span (and the middle) are the only candidates.
  const lo = wall - 15 * HOUR_MS;
  const hi = wall + 13 * HOUR_MS;
  const offsets = new Set([zone.offset(lo), zone.offset(wall), zone.offset(hi)]);
  const instants = [...offsets]
    .map((offsetMin) => wall - offsetMin * 60_000)
    .filter((t) => zone.offset(t) * 60_000 + t === wall);
  if (instants.length > 0) return Math.min(...instants);

  // In a gap: find the first instant whose local time is past `wall`, i.e. the moment the clocks jump.
  let from = lo;
  let to = hi;
  while (to - from > 1) {
    const mid = Math.floor((from + to) / 2);
    if (mid + zone.offset(mid) * 60_000 > wall) to = mid;
    else from = mid;
  }
  return to;
}

function cronError(cron: string | undefined, timeZone: string): string | null {
  const expression = typeof cron === 'string' ? cron.trim() : '';
  const fields = expression.split(/\s+/);
  const shapeOk = CRON_ALIASES.has(expression) || (fields.length === 5 && !expression.startsWith('@'));
  if (!shapeOk) {
    return 'must be a cron expression with five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly';
  }
  try {
    CronExpressionParser.parse(expression, { tz: timeZone }).next();
    return null;
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
}
