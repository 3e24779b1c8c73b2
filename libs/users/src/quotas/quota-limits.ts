import type { Plan } from '../plans/plan.entity';
import type { QuotaKind } from './quota-usage.entity';

/** The plan's daily allowance for one kind of work. */
export function dailyLimit(plan: Plan, kind: QuotaKind): number {
  switch (kind) {
    case 'generation':
      return plan.dailyGenerations;
    case 'edit':
      return plan.dailyEdits;
    case 'upload':
      return plan.dailyUploads;
  }
}

/** Seconds until `resetsAt`, at least 1 (a Retry-After header value). */
export function secondsUntil(resetsAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
}
