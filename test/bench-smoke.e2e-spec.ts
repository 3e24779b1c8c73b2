import { runBench, SCENARIOS } from '../bench/run';

// Every benchmark scenario at a tiny size, so the suite cannot rot. Speed is not asserted here
// (that is what `npm run bench` reports); correctness of what was measured is.
describe('benchmarks (smoke size)', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s runs and reports numbers', async (name) => {
    const rows = await runBench([name], 'smoke');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.scenario).toBe(name);
      expect(Number.isFinite(row.atelier)).toBe(true);
      // Counts of things that must not happen (duplicate deliveries) are rightly zero.
      if (row.target?.op === '<' && row.target.value <= 1) expect(row.atelier).toBeGreaterThanOrEqual(0);
      else expect(row.atelier).toBeGreaterThan(0);
    }
  });
});
