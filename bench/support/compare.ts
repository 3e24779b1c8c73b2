import type { ReleaseStack } from '../../test/release/release-stack';
import type { Measurement } from './report';
import { assertBuilt, stackDb, startBenchStack } from './stack';

/**
 * Another checkout's built dist/ (e.g. 1bcb13e, for "per core vs 1bcb13e") in the same topology.
 * Older builds seeded no plan on a fresh database, so sign-up failed there: the plan every account
 * starts on is inserted here when missing. Only the compare path does this.
 */
export async function startCompareStack(checkout: string): Promise<ReleaseStack> {
  const stack = await startBenchStack({ dist: assertBuilt(checkout) });
  const db = stackDb(stack);
  try {
    await db.query(
      `INSERT INTO plans (slug, name, daily_generations, daily_edits, daily_uploads)
       SELECT 'free', 'Free', 1000, 1000, 1000 WHERE NOT EXISTS (SELECT 1 FROM plans WHERE slug = 'free')`,
    );
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  } finally {
    await db.end();
  }
}

interface Measured {
  requests: number;
  cpuMs: number;
  rps: number;
}

/**
 * "Per core" against the compared build: requests per CPU-second of the api and worker trees (the
 * honest per-core measure whatever the process count), this build's ÷ the compared one's ≥ 1.5.
 */
export function perCoreRow(
  scenario: string,
  metric: string,
  mine: Measured,
  old: Measured,
  compare: string,
): Measurement {
  return {
    scenario,
    metric,
    atelier: mine.requests / (mine.cpuMs / 1000),
    baseline: old.requests / (old.cpuMs / 1000),
    baselineName: 'compared build',
    target: { op: '>=', value: 1.5, on: 'ratio' },
    note: `requests ÷ CPU seconds of api + worker trees; compared build ${compare} (its api: ${old.rps.toFixed(0)} req/s)`,
  };
}
