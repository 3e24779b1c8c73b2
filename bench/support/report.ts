import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a target is checked on: Atelier's own figure, or Atelier ÷ baseline of the same round. */
export interface Target {
  op: '>=' | '<' | '<=';
  value: number;
  on: 'atelier' | 'ratio';
}

/** One measured line of one round: Atelier against its baseline measured in the same round. */
export interface Measurement {
  scenario: string;
  metric: string;
  atelier: number;
  baseline?: number;
  /** What the baseline is, when it is not the scenario's usual one (e.g. `1bcb13e`). */
  baselineName?: string;
  target?: Target;
  unit?: string;
  note?: string;
}

/** A metric over every round: one value per round, in round order. */
export interface BenchRow extends Omit<Measurement, 'atelier' | 'baseline'> {
  atelier: number[];
  baseline?: number[];
}

export type Size = 'full' | 'smoke';

export interface BenchOptions {
  size: Size;
  /** Another checkout's directory holding a built dist/ (library and gallery run against it too). */
  compare?: string;
}

/** A scenario's stack and data, prepared once and measured in several rounds. */
export interface PreparedScenario {
  round(index: number): Promise<Measurement[]>;
  close(): Promise<unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  prepare(options: BenchOptions): Promise<PreparedScenario>;
}

/** Rows from every round's measurements, merged by scenario and metric (notes: the last round's). */
export function mergeRounds(rounds: Measurement[][]): BenchRow[] {
  const rows = new Map<string, BenchRow>();
  for (const measurements of rounds) {
    for (const m of measurements) {
      const key = `${m.scenario}\u0000${m.metric}`;
      const row = rows.get(key);
      if (!row) {
        const { atelier, baseline, ...rest } = m;
        rows.set(key, {
          ...rest,
          atelier: [atelier],
          baseline: baseline === undefined ? undefined : [baseline],
        });
        continue;
      }
      row.atelier.push(m.atelier);
      if (m.baseline !== undefined) (row.baseline ??= []).push(m.baseline);
      if (m.note) row.note = m.note;
    }
  }
  return [...rows.values()];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Atelier ÷ baseline per round (rounds without a usable baseline are left out). */
export function ratios(row: BenchRow): number[] {
  if (!row.baseline) return [];
  return row.atelier.flatMap((a, i) => (row.baseline![i] ? [a / row.baseline![i]] : []));
}

function meets(target: Target, value: number): boolean {
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return value < target.value;
}

/** `short` only when most rounds miss the target (two of three); one noisy round does not decide. */
export function verdict(row: BenchRow): 'pass' | 'short' | '' {
  if (!row.target) return '';
  const values = row.target.on === 'ratio' ? ratios(row) : row.atelier;
  if (!values.length) return '';
  const misses = values.filter((v) => !meets(row.target!, v)).length;
  return misses * 2 > values.length ? 'short' : 'pass';
}

const fmt = (n: number | undefined) =>
  n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);

/** `median [min–max]`, or the single value of a one-round run. */
function spread(values: number[] | undefined): string {
  if (!values?.length) return '';
  if (values.length === 1) return fmt(values[0]);
  return `${fmt(median(values))} [${fmt(Math.min(...values))}–${fmt(Math.max(...values))}]`;
}

export function printTable(rows: BenchRow[], write = (s: string) => process.stdout.write(s)): void {
  const header = ['scenario', 'metric', 'atelier', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((r) => [
    r.scenario,
    `${r.metric}${r.unit ? ` (${r.unit})` : ''}`,
    spread(r.atelier),
    `${r.baselineName ? `${r.baselineName} ` : ''}${spread(r.baseline)}`,
    spread(ratios(r)),
    r.target ? `${r.target.on === 'ratio' ? 'ratio ' : ''}${r.target.op} ${r.target.value}` : '',
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const print = (cells: string[]) => write(cells.map((c, i) => c.padEnd(widths[i])).join('  ') + '\n');
  print(header);
  print(widths.map((w) => '-'.repeat(w)));
  lines.forEach(print);
  for (const r of rows.filter((r) => r.note)) write(`  ${r.scenario}/${r.metric}: ${r.note}\n`);
}

export function writeResults(rows: BenchRow[], meta: Record<string, unknown>): string {
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const enriched = rows.map((r) => ({
    ...r,
    atelierMedian: median(r.atelier),
    baselineMedian: r.baseline ? median(r.baseline) : undefined,
    ratios: ratios(r),
    ratioMedian: ratios(r).length ? median(ratios(r)) : undefined,
    result: verdict(r),
  }));
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), ...meta, rows: enriched }, null, 2));
  return file;
}
