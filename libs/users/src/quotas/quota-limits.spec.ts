import type { Plan } from '../plans/plan.entity';
import { dailyLimit, secondsUntil } from './quota-limits';
import type { QuotaKind } from './quota-usage.entity';

const plan = { dailyGenerations: 20, dailyEdits: 7, dailyUploads: 50 } as Plan;

describe('dailyLimit', () => {
  it.each<[QuotaKind, number]>([
    ['generation', 20],
    ['edit', 7],
    ['upload', 50],
  ])('%s → %d', (kind, expected) => {
    expect(dailyLimit(plan, kind)).toBe(expected);
  });
});

describe('secondsUntil', () => {
  const now = new Date('2026-03-01T23:59:58.200Z');
  it.each([
    ['rounds a partial second up', new Date('2026-03-02T00:00:00.000Z'), 2],
    ['is at least 1 at the instant', now, 1],
    ['is at least 1 when already past', new Date('2026-03-01T00:00:00.000Z'), 1],
    ['counts a whole day', new Date('2026-03-02T23:59:58.200Z'), 86_400],
  ])('%s', (_name, resetsAt, expected) => {
    expect(secondsUntil(resetsAt, now)).toBe(expected);
  });
});
