import { nextUtcMidnight, utcDay } from './quota-window';

describe('quota window', () => {
  it.each([
    ['2025-06-14T23:59:59.999Z', '2025-06-14', '2025-06-15T00:00:00.000Z'],
    ['2025-06-15T00:00:00.000Z', '2025-06-15', '2025-06-16T00:00:00.000Z'], // exactly midnight: a new period
    ['2025-06-15T00:00:00.001Z', '2025-06-15', '2025-06-16T00:00:00.000Z'],
    ['2025-06-15T12:00:00.000Z', '2025-06-15', '2025-06-16T00:00:00.000Z'],
    ['2025-12-31T23:30:00.000Z', '2025-12-31', '2026-01-01T00:00:00.000Z'], // year end
    ['2024-02-28T10:00:00.000Z', '2024-02-28', '2024-02-29T00:00:00.000Z'], // leap day
    ['2024-02-29T10:00:00.000Z', '2024-02-29', '2024-03-01T00:00:00.000Z'],
    ['2025-02-28T10:00:00.000Z', '2025-02-28', '2025-03-01T00:00:00.000Z'],
    ['2025-03-30T01:30:00.000Z', '2025-03-30', '2025-03-31T00:00:00.000Z'], // Paris DST change: irrelevant in UTC
  ])('%s is day %s, resetting at %s', (now, day, resetsAt) => {
    expect(utcDay(new Date(now))).toBe(day);
    expect(nextUtcMidnight(new Date(now)).toISOString()).toBe(resetsAt);
  });

  it('uses UTC whatever the local offset of the input', () => {
    // 2025-06-15 01:00 at +02:00 is still 14 June in UTC.
    const now = new Date('2025-06-15T01:00:00+02:00');
    expect(utcDay(now)).toBe('2025-06-14');
    expect(nextUtcMidnight(now).toISOString()).toBe('2025-06-15T00:00:00.000Z');
  });

  it('is always strictly after now and at most a day away', () => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2025, 0, 3); t += 15 * 60_000 + 1) {
      const resetsAt = nextUtcMidnight(new Date(t)).getTime();
      expect(resetsAt).toBeGreaterThan(t);
      expect(resetsAt - t).toBeLessThanOrEqual(86_400_000);
      expect(utcDay(new Date(resetsAt - 1))).toBe(utcDay(new Date(t)));
    }
  });
});
