import 'reflect-metadata';
import { httpScenario } from './scenarios/http';
import { footprintScenario } from './scenarios/footprint';
import { galleryScenario } from './scenarios/gallery';
import { jobsScenario } from './scenarios/jobs';
import { libraryScenario } from './scenarios/library';
import { publishScenario } from './scenarios/publish';
import { BenchRow, printTable, Scenario, Size, writeResults } from './support/report';

/** `npm run bench` (every scenario) or `npm run bench -- <scenario> [--smoke]`. */
export const SCENARIOS: Scenario[] = [
  httpScenario,
  libraryScenario,
  galleryScenario,
  jobsScenario,
  publishScenario,
  footprintScenario,
];

export async function runBench(names: string[], size: Size): Promise<BenchRow[]> {
  const selected = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length)
    throw new Error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  const rows: BenchRow[] = [];
  for (const scenario of selected) {
    process.stderr.write(`running ${scenario.name}: ${scenario.description}\n`);
    rows.push(...(await scenario.run(size)));
  }
  return rows;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const size: Size = args.includes('--smoke') ? 'smoke' : 'full';
  runBench(
    args.filter((a) => !a.startsWith('--')),
    size,
  )
    .then((rows) => {
      printTable(rows);
      process.stdout.write(`\nwritten to ${writeResults(rows)}\n`);
      process.exit(0);
    })
    .catch((error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    });
}
