import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured line: Atelier against its bare baseline from the same run on the same machine. */
export interface BenchRow {
  scenario: string;
  metric: string;
  atelier: number;
  baseline?: number;
  /** How the result compares with the target; `higher` means bigger is better. */
  target?: { op: '>=' | '<'; value: number; on: 'atelier' | 'ratio' };
  unit?: string;
  note?: string;
}

export type Size = 'full' | 'smoke';

export interface Scenario {
  name: string;
  description: string;
  run(size: Size): Promise<BenchRow[]>;
}

export function ratio(row: BenchRow): number | undefined {
  return row.baseline ? row.atelier / row.baseline : undefined;
}

export function verdict(row: BenchRow): 'pass' | 'short' | '' {
  if (!row.target) return '';
  const value = row.target.on === 'ratio' ? ratio(row) : row.atelier;
  if (value === undefined) return '';
  const ok = row.target.op === '>=' ? value >= row.target.value : value < row.target.value;
  return ok ? 'pass' : 'short';
}

const fmt = (n: number | undefined) =>
  n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);

export function printTable(rows: BenchRow[]): void {
  const header = ['scenario', 'metric', 'atelier', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((r) => [
    r.scenario,
    `${r.metric}${r.unit ? ` (${r.unit})` : ''}`,
    fmt(r.atelier),
    fmt(r.baseline),
    fmt(ratio(r)),
    r.target ? `${r.target.on === 'ratio' ? 'ratio ' : ''}${r.target.op} ${r.target.value}` : '',
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const print = (cells: string[]) =>
    process.stdout.write(cells.map((c, i) => c.padEnd(widths[i])).join('  ') + '\n');
  print(header);
  print(widths.map((w) => '-'.repeat(w)));
  lines.forEach(print);
  for (const r of rows.filter((r) => r.note))
    process.stdout.write(`  ${r.scenario}/${r.metric}: ${r.note}\n`);
}

export function writeResults(rows: BenchRow[]): string {
  const dir = join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const enriched = rows.map((r) => ({ ...r, ratio: ratio(r), result: verdict(r) }));
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), rows: enriched }, null, 2));
  return file;
}
