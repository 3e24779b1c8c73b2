import { runBench, SCENARIOS } from '../../bench/run';
import { median, ratios } from '../../bench/support/report';

// Every benchmark scenario at a tiny size against the built dist/, one round, so the suite cannot
// rot. Speed is not asserted here (that is what `npm run bench` reports); that each row was
// measured, and that what was measured is right, is.
const EXPECTED: Record<string, string[]> = {
  http: ['req/s', 'p99', 'CPU per request'],
  library: ['req/s', 'p99', 'CPU per request', 'SQL statements per request'],
  gallery: ['q=neon req/s', 'q=neon p95 vs raw SQL', 'tag=dragon p95 vs q=neon p95', 'bulk load'],
  jobs: [
    'jobs/s, 1 worker process',
    'jobs/s, 2 worker processes',
    'CPU per job, 2 workers',
    'single job overhead p95',
  ],
  publish: [
    'scheduled posts/s, 2 workers',
    'scheduled CPU per post',
    'publish-now posts/s, 2 workers',
    'duplicate deliveries',
  ],
  footprint: ['start to ready', 'idle RSS (process tree)'],
};

describe('benchmarks (smoke size, built app)', () => {
  it('lists a smoke expectation for every scenario', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it.each(SCENARIOS.map((s) => s.name))(
    '%s runs against dist/ and reports its rows',
    async (name) => {
      const rows = await runBench([name], { size: 'smoke', rounds: 1 });
      expect(rows.map((r) => r.metric)).toEqual(expect.arrayContaining(EXPECTED[name]));
      for (const row of rows) {
        expect(row.scenario).toBe(name);
        expect(row.atelier).toHaveLength(1);
        const [value] = row.atelier;
        expect(Number.isFinite(value)).toBe(true);
        // Counts of things that must not happen (duplicate deliveries) are rightly zero.
        if (row.metric === 'duplicate deliveries') expect(value).toBe(0);
        else expect(value).toBeGreaterThan(0);
        if (row.baseline) {
          expect(row.baseline).toHaveLength(1);
          expect(Number.isFinite(median(ratios(row)))).toBe(true);
        }
      }
      const sql = rows.find((r) => r.metric === 'SQL statements per request');
      // The bare route runs exactly one statement; a list page must not run one per item.
      if (sql) expect(sql.baseline).toEqual([1]);
      if (sql) expect(sql.atelier[0]).toBeLessThan(10);
    },
    300_000,
  );
});
