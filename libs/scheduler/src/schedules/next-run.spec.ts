import { computeNextRun, InvalidScheduleRuleError, ScheduleRule, validateScheduleRule } from './next-run';

// 2025 DST changes: Europe/Paris Mar 30 02:00→03:00 and Oct 26 03:00→02:00 (both at 01:00Z);
// America/New_York Mar 9 02:00→03:00 (07:00Z) and Nov 2 02:00→01:00 (06:00Z).
const PARIS = 'Europe/Paris';
const NY = 'America/New_York';
const daily = (timeOfDay: string, timeZone: string): ScheduleRule => ({
  frequency: 'daily',
  timeOfDay,
  timeZone,
});
const weekly = (daysOfWeek: number[], timeOfDay: string, timeZone: string): ScheduleRule => ({
  frequency: 'weekly',
  daysOfWeek,
  timeOfDay,
  timeZone,
});
const monthly = (dayOfMonth: number, timeOfDay: string, timeZone: string): ScheduleRule => ({
  frequency: 'monthly',
  dayOfMonth,
  timeOfDay,
  timeZone,
});
const cron = (expression: string, timeZone: string): ScheduleRule => ({
  frequency: 'cron',
  cron: expression,
  timeZone,
});

describe('computeNextRun', () => {
  const cases: Array<[string, ScheduleRule, string, string]> = [
    // daily
    [
      'daily 09:00 Paris, just before the run',
      daily('09:00', PARIS),
      '2025-03-29T07:59:59.999Z',
      '2025-03-29T08:00:00.000Z',
    ],
    [
      'daily 09:00 Paris, exactly at a run → next day',
      daily('09:00', PARIS),
      '2025-03-29T08:00:00.000Z',
      '2025-03-30T07:00:00.000Z',
    ],
    [
      'daily 09:00 Paris stays 09:00 across October',
      daily('09:00', PARIS),
      '2025-10-25T07:00:00.000Z',
      '2025-10-26T08:00:00.000Z',
    ],
    [
      'daily 02:30 Paris in the March gap → 03:00 CEST',
      daily('02:30', PARIS),
      '2025-03-29T12:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
    ],
    [
      'daily 02:00 Paris (gap start) → 03:00 CEST',
      daily('02:00', PARIS),
      '2025-03-29T12:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
    ],
    [
      'daily 02:30 Paris after the gap run → normal again',
      daily('02:30', PARIS),
      '2025-03-30T01:00:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ],
    [
      'daily 02:30 Paris ambiguous → first occurrence',
      daily('02:30', PARIS),
      '2025-10-25T12:00:00.000Z',
      '2025-10-26T00:30:00.000Z',
    ],
    [
      'daily 02:30 Paris no second run in the repeated hour',
      daily('02:30', PARIS),
      '2025-10-26T00:30:00.000Z',
      '2025-10-27T01:30:00.000Z',
    ],
    [
      'daily 09:00 New York across March',
      daily('09:00', NY),
      '2025-03-08T14:00:00.000Z',
      '2025-03-09T13:00:00.000Z',
    ],
    [
      'daily 02:30 New York in the gap → 03:00 EDT',
      daily('02:30', NY),
      '2025-03-08T12:00:00.000Z',
      '2025-03-09T07:00:00.000Z',
    ],
    [
      'daily 01:30 New York ambiguous → first (EDT)',
      daily('01:30', NY),
      '2025-11-01T12:00:00.000Z',
      '2025-11-02T05:30:00.000Z',
    ],
    [
      'daily 01:30 New York then next day (EST)',
      daily('01:30', NY),
      '2025-11-02T05:30:00.000Z',
      '2025-11-03T06:30:00.000Z',
    ],
    [
      'daily 09:00 New York across November',
      daily('09:00', NY),
      '2025-11-01T13:00:00.000Z',
      '2025-11-02T14:00:00.000Z',
    ],
    [
      'daily 00:00 UTC at midnight → next midnight',
      daily('00:00', 'UTC'),
      '2025-06-01T00:00:00.000Z',
      '2025-06-02T00:00:00.000Z',
    ],
    [
      'daily 23:59 UTC year end',
      daily('23:59', 'UTC'),
      '2025-12-31T23:59:00.000Z',
      '2026-01-01T23:59:00.000Z',
    ],
    // Samoa skipped 30 Dec 2011 entirely (−10:00 → +14:00): the run moves to the first instant that exists.
    [
      'daily 09:00 Apia on the skipped day',
      daily('09:00', 'Pacific/Apia'),
      '2011-12-29T19:00:00.000Z',
      '2011-12-30T10:00:00.000Z',
    ],
    [
      'daily 09:00 Apia the day after',
      daily('09:00', 'Pacific/Apia'),
      '2011-12-30T10:00:00.000Z',
      '2011-12-30T19:00:00.000Z',
    ],
    // weekly (0 = Sunday)
    [
      'weekly Mon+Wed 09:00 Paris, at Wed run → Mon after DST',
      weekly([1, 3], '09:00', PARIS),
      '2025-03-26T08:00:00.000Z',
      '2025-03-31T07:00:00.000Z',
    ],
    [
      'weekly Mon+Wed 09:00 Paris from Saturday',
      weekly([3, 1], '09:00', PARIS),
      '2025-03-29T10:00:00.000Z',
      '2025-03-31T07:00:00.000Z',
    ],
    [
      'weekly Sunday 02:30 Paris on the gap day',
      weekly([0], '02:30', PARIS),
      '2025-03-28T00:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
    ],
    [
      'weekly Sunday 09:00 Paris across October',
      weekly([0], '09:00', PARIS),
      '2025-10-19T07:00:00.000Z',
      '2025-10-26T08:00:00.000Z',
    ],
    [
      'weekly Sunday 09:00 New York across November',
      weekly([0], '09:00', NY),
      '2025-10-26T13:00:00.000Z',
      '2025-11-02T14:00:00.000Z',
    ],
    [
      'weekly Saturday 18:00 later the same day',
      weekly([6], '18:00', NY),
      '2025-03-08T15:00:00.000Z',
      '2025-03-08T23:00:00.000Z',
    ],
    [
      'weekly Sunday late evening in zone ahead of UTC',
      weekly([0], '23:30', 'Asia/Tokyo'),
      '2025-06-01T14:29:00.000Z',
      '2025-06-01T14:30:00.000Z',
    ],
    [
      'weekly duplicate days behave as one',
      weekly([2, 2], '08:00', 'UTC'),
      '2025-06-03T08:00:00.000Z',
      '2025-06-10T08:00:00.000Z',
    ],
    // monthly
    [
      'monthly 31st → Feb 28',
      monthly(31, '09:00', PARIS),
      '2025-01-31T08:00:00.000Z',
      '2025-02-28T08:00:00.000Z',
    ],
    [
      'monthly 31st → Mar 31 after DST',
      monthly(31, '09:00', PARIS),
      '2025-02-28T08:00:00.000Z',
      '2025-03-31T07:00:00.000Z',
    ],
    [
      'monthly 31st → Apr 30',
      monthly(31, '09:00', PARIS),
      '2025-03-31T07:00:00.000Z',
      '2025-04-30T07:00:00.000Z',
    ],
    [
      'monthly 31st → Feb 29 in a leap year',
      monthly(31, '09:00', PARIS),
      '2024-01-31T08:00:00.000Z',
      '2024-02-29T08:00:00.000Z',
    ],
    [
      'monthly 29th → Feb 28 in 2023',
      monthly(29, '12:00', 'UTC'),
      '2023-01-29T12:00:00.000Z',
      '2023-02-28T12:00:00.000Z',
    ],
    [
      'monthly 29th → Feb 29 in 2024',
      monthly(29, '12:00', 'UTC'),
      '2024-01-29T12:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
    ],
    [
      'monthly 30th Paris across October',
      monthly(30, '09:00', PARIS),
      '2025-09-30T07:00:00.000Z',
      '2025-10-30T08:00:00.000Z',
    ],
    [
      'monthly 15th New York in EDT',
      monthly(15, '10:00', NY),
      '2025-03-01T00:00:00.000Z',
      '2025-03-15T14:00:00.000Z',
    ],
    [
      'monthly 2nd New York across November',
      monthly(2, '01:30', NY),
      '2025-10-02T05:30:00.000Z',
      '2025-11-02T05:30:00.000Z',
    ],
    [
      'monthly 31st year rollover',
      monthly(31, '09:00', PARIS),
      '2025-12-31T08:00:00.000Z',
      '2026-01-31T08:00:00.000Z',
    ],
    [
      'monthly 1st 00:00 Paris, at local midnight',
      monthly(1, '00:00', PARIS),
      '2025-02-28T23:00:00.000Z',
      '2025-03-31T22:00:00.000Z',
    ],
    [
      'monthly 1st later this month when day not reached',
      monthly(20, '09:00', 'UTC'),
      '2025-06-19T09:00:00.000Z',
      '2025-06-20T09:00:00.000Z',
    ],
    // cron, evaluated in the schedule's zone by cron-parser
    [
      'cron 09:00 Paris at a run → across March',
      cron('0 9 * * *', PARIS),
      '2025-03-29T08:00:00.000Z',
      '2025-03-30T07:00:00.000Z',
    ],
    [
      'cron 09:00 Paris with ms past the run',
      cron('0 9 * * *', PARIS),
      '2025-03-29T08:00:00.500Z',
      '2025-03-30T07:00:00.000Z',
    ],
    [
      'cron 09:00 Paris across October',
      cron('0 9 * * *', PARIS),
      '2025-10-25T07:00:00.000Z',
      '2025-10-26T08:00:00.000Z',
    ],
    [
      'cron weekdays 09:00 New York across November',
      cron('0 9 * * 1-5', NY),
      '2025-10-31T13:00:00.000Z',
      '2025-11-03T14:00:00.000Z',
    ],
    [
      'cron 02:30 Paris ambiguous → first occurrence',
      cron('30 2 * * *', PARIS),
      '2025-10-25T12:00:00.000Z',
      '2025-10-26T00:30:00.000Z',
    ],
    // Pinned so a cron-parser upgrade that changes gap handling is noticed (it shifts by the gap length).
    [
      'cron 02:30 Paris in the gap (cron-parser shift)',
      cron('30 2 * * *', PARIS),
      '2025-03-29T12:00:00.000Z',
      '2025-03-30T01:30:00.000Z',
    ],
    [
      'cron Feb 29 → next leap year',
      cron('0 9 29 2 *', PARIS),
      '2025-01-01T00:00:00.000Z',
      '2028-02-29T08:00:00.000Z',
    ],
    [
      'cron @daily alias in New York',
      cron('@daily', NY),
      '2025-03-09T04:59:00.000Z',
      '2025-03-09T05:00:00.000Z',
    ],
  ];

  it.each(cases)('%s', (_name, rule, after, expected) => {
    expect(computeNextRun(rule, new Date(after)).toISOString()).toBe(expected);
  });

  it('is always strictly after `after`, day by day through a DST year', () => {
    for (const rule of [
      daily('02:30', PARIS),
      daily('01:30', NY),
      weekly([0, 6], '02:15', NY),
      monthly(31, '02:30', PARIS),
    ]) {
      let at = new Date('2024-12-31T00:00:00.000Z');
      for (let i = 0; i < 400; i++) {
        const next = computeNextRun(rule, at);
        expect(next.getTime()).toBeGreaterThan(at.getTime());
        // No rule here leaves more than a month and a bit between runs.
        expect(next.getTime() - at.getTime()).toBeLessThan(32 * 86_400_000);
        at = next;
      }
    }
  });

  it('throws InvalidScheduleRuleError carrying the field errors', () => {
    const rule = { frequency: 'weekly', timeOfDay: '9am', daysOfWeek: [], timeZone: PARIS } as ScheduleRule;
    expect(() => computeNextRun(rule, new Date())).toThrow(InvalidScheduleRuleError);
    try {
      computeNextRun(rule, new Date());
    } catch (error) {
      expect((error as InvalidScheduleRuleError).errors.map((e) => e.field)).toEqual([
        'timeOfDay',
        'daysOfWeek',
      ]);
    }
  });
});

describe('validateScheduleRule', () => {
  const invalid: Array<[string, Partial<ScheduleRule> & Record<string, unknown>, string[]]> = [
    ['time without leading zero', { frequency: 'daily', timeOfDay: '9:00', timeZone: PARIS }, ['timeOfDay']],
    ['time 24:00', { frequency: 'daily', timeOfDay: '24:00', timeZone: PARIS }, ['timeOfDay']],
    ['minute 60', { frequency: 'daily', timeOfDay: '12:60', timeZone: PARIS }, ['timeOfDay']],
    ['missing time', { frequency: 'monthly', dayOfMonth: 1, timeZone: PARIS }, ['timeOfDay']],
    ['unknown zone', { frequency: 'daily', timeOfDay: '09:00', timeZone: 'Mars/Olympus' }, ['timeZone']],
    [
      'offset is not an IANA zone',
      { frequency: 'daily', timeOfDay: '09:00', timeZone: '+02:00' },
      ['timeZone'],
    ],
    ['empty zone', { frequency: 'daily', timeOfDay: '09:00', timeZone: '' }, ['timeZone']],
    [
      'weekly with no days',
      { frequency: 'weekly', daysOfWeek: [], timeOfDay: '09:00', timeZone: PARIS },
      ['daysOfWeek'],
    ],
    ['weekly missing days', { frequency: 'weekly', timeOfDay: '09:00', timeZone: PARIS }, ['daysOfWeek']],
    [
      'weekly day 7',
      { frequency: 'weekly', daysOfWeek: [1, 7], timeOfDay: '09:00', timeZone: PARIS },
      ['daysOfWeek'],
    ],
    [
      'weekly fractional day',
      { frequency: 'weekly', daysOfWeek: [1.5], timeOfDay: '09:00', timeZone: PARIS },
      ['daysOfWeek'],
    ],
    [
      'monthly day 0',
      { frequency: 'monthly', dayOfMonth: 0, timeOfDay: '09:00', timeZone: PARIS },
      ['dayOfMonth'],
    ],
    [
      'monthly day 32',
      { frequency: 'monthly', dayOfMonth: 32, timeOfDay: '09:00', timeZone: PARIS },
      ['dayOfMonth'],
    ],
    ['monthly missing day', { frequency: 'monthly', timeOfDay: '09:00', timeZone: PARIS }, ['dayOfMonth']],
    ['cron garbage', { frequency: 'cron', cron: 'every day', timeZone: PARIS }, ['cron']],
    ['cron minute 61', { frequency: 'cron', cron: '61 * * * *', timeZone: PARIS }, ['cron']],
    ['cron four fields', { frequency: 'cron', cron: '0 9 * *', timeZone: PARIS }, ['cron']],
    ['cron six fields (seconds)', { frequency: 'cron', cron: '0 0 9 * * *', timeZone: PARIS }, ['cron']],
    ['cron @secondly', { frequency: 'cron', cron: '@secondly', timeZone: PARIS }, ['cron']],
    ['cron Feb 30 never runs', { frequency: 'cron', cron: '0 0 30 2 *', timeZone: PARIS }, ['cron']],
    ['cron missing', { frequency: 'cron', timeZone: PARIS }, ['cron']],
    [
      'unknown frequency',
      { frequency: 'hourly' as never, timeOfDay: '09:00', timeZone: PARIS },
      ['frequency'],
    ],
    [
      'several fields at once',
      { frequency: 'weekly', daysOfWeek: [], timeOfDay: '25:00', timeZone: 'Nowhere/City' },
      ['timeZone', 'timeOfDay', 'daysOfWeek'],
    ],
  ];

  it.each(invalid)('rejects %s', (_name, rule, fields) => {
    const errors = validateScheduleRule(rule as ScheduleRule);
    expect(errors.map((e) => e.field)).toEqual(fields);
    for (const error of errors) expect(error.message).toEqual(expect.any(String));
  });

  const valid: Array<[string, ScheduleRule]> = [
    ['daily', daily('00:00', 'UTC')],
    ['weekly', weekly([0, 6], '23:59', NY)],
    ['monthly 31', monthly(31, '09:00', PARIS)],
    ['cron five fields', cron('*/15 9-17 * * 1-5', PARIS)],
    ['cron alias', cron('@weekly', 'Asia/Kolkata')],
    ['ignores fields of other frequencies', { ...daily('09:00', PARIS), daysOfWeek: [], dayOfMonth: 99 }],
  ];

  it.each(valid)('accepts %s', (_name, rule) => {
    expect(validateScheduleRule(rule)).toEqual([]);
  });
});
