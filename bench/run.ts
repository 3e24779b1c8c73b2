import 'reflect-metadata';
import { resolve } from 'node:path';
import { httpScenario } from './scenarios/http';
import { footprintScenario } from './scenarios/footprint';
import { galleryScenario } from './scenarios/gallery';
import { jobsScenario } from './scenarios/jobs';
import { libraryScenario } from './scenarios/library';
import { publishScenario } from './scenarios/publish';
import {
  BenchOptions,
  BenchRow,
  Measurement,
  mergeRounds,
  printTable,
  Scenario,
  writeResults,
} from './support/report';
import { assertBuilt } from './support/stack';

/**
 * `npm run bench [-- <scenario>…] [--smoke] [--rounds N] [--compare <checkout>] [--profile <dir>]`:
 * every scenario (or the named ones) against the built dist/ (`npm run build` first), three rounds
 * each (one with `--smoke`, at a small size); `--compare` also runs library and gallery on another
 * checkout's built dist/ and reports requests per CPU-second for both; `--profile` has every api
 * and worker process write a V8 CPU profile into `<dir>` (`bench/profile-summary.ts` reads them).
 */
export const SCENARIOS: Scenario[] = [
  httpScenario,
  libraryScenario,
  galleryScenario,
  jobsScenario,
  publishScenario,
  footprintScenario,
];

export async function runBench(
  names: string[],
  options: BenchOptions & { rounds: number },
): Promise<BenchRow[]> {
  assertBuilt();
  if (options.compare) assertBuilt(options.compare);
  const selected = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length)
    throw new Error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  const rows: BenchRow[] = [];
  for (const scenario of selected) {
    process.stderr.write(`running ${scenario.name}: ${scenario.description}\n`);
    const prepared = await scenario.prepare(options);
    const rounds: Measurement[][] = [];
    try {
      for (let round = 0; round < options.rounds; round++) {
        process.stderr.write(`  ${scenario.name}: round ${round + 1} of ${options.rounds}\n`);
        rounds.push(await prepared.round(round));
      }
    } finally {
      await prepared.close();
    }
    rows.push(...mergeRounds(rounds));
  }
  return rows;
}

/** The value after `flag` in `args`, if the flag is there. */
function option(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at === -1) return undefined;
  if (!args[at + 1] || args[at + 1].startsWith('--')) throw new Error(`${flag} needs a value`);
  return args[at + 1];
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const size = args.includes('--smoke') ? 'smoke' : 'full';
  const rounds = Number(option(args, '--rounds') ?? (size === 'smoke' ? 1 : 3));
  const compareDir = option(args, '--compare');
  const compare = compareDir ? resolve(compareDir) : undefined;
  const profileDir = option(args, '--profile');
  if (profileDir) process.env.BENCH_PROFILE_DIR = resolve(profileDir);
  const values = new Set([option(args, '--rounds'), compareDir, profileDir]);
  const names = args.filter((a) => !a.startsWith('--') && !values.has(a));
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a whole number ≥ 1');
  runBench(names, { size, rounds, compare })
    .then((rows) => {
      printTable(rows);
      process.stdout.write(`\nwritten to ${writeResults(rows, { size, rounds, compare })}\n`);
      process.exit(0);
    })
    .catch((error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exit(1);
    });
}
