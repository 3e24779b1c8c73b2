import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The parts of a V8 `.cpuprofile` this reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<package>` (scoped too), `dist/<app or lib>`, `node:` internals, or the program itself. */
function owner(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return 'node';
  return url ? url : '(native, GC, idle)';
}

function top(totals: Map<string, number>, all: number, count: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, us]) =>
        `${((100 * us) / all).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
}

/**
 * The sample indexes of the longest stretch of whole seconds in which the process was at least half
 * busy: the measured load, not start-up, seeding or shutdown.
 */
function loadSamples(profile: CpuProfile, frames: Map<number, { functionName: string }>): number[] {
  const second: number[] = [];
  let at = 0;
  const buckets: { busy: number; all: number }[] = [];
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    at += us;
    const bucket = Math.floor(at / 1e6);
    second.push(bucket);
    buckets[bucket] ??= { busy: 0, all: 0 };
    buckets[bucket].all += us;
    if (frames.get(id)?.functionName !== '(idle)') buckets[bucket].busy += us;
  });
  let best = { from: 0, to: -1 };
  let from = 0;
  for (let i = 0; i <= buckets.length; i++) {
    const b = buckets[i];
    if (b && b.busy >= b.all / 2) continue;
    if (i - 1 - from > best.to - best.from) best = { from, to: i - 1 };
    from = i + 1;
  }
  return profile.samples.flatMap((_, index) =>
    second[index] >= best.from && second[index] <= best.to ? [index] : [],
  );
}

/** The nodes under a `require` (module loading is start-up, even in a busy stretch). */
function moduleLoading(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const found = new Set<number>();
  const mark = (id: number) => {
    found.add(id);
    byId.get(id)?.children?.forEach(mark);
  };
  for (const node of profile.nodes) {
    if (node.callFrame.functionName === 'require' && node.callFrame.url.startsWith('node:')) mark(node.id);
  }
  return found;
}

/**
 * `node -r ./scripts/ts-register.js bench/profile-summary.ts <dir> [count]`: self time of every
 * profile in `<dir>` (from `npm run bench -- --profile <dir>`) during its load (see loadSamples),
 * summed, by package and by function.
 */
function summarise(dir: string, count: number): string {
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let all = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const loading = moduleLoading(profile);
    for (const index of loadSamples(profile, frames)) {
      if (loading.has(profile.samples[index])) continue;
      const frame = frames.get(profile.samples[index])!;
      const us = profile.timeDeltas[index] ?? 0;
      if (frame.functionName === '(idle)') continue;
      all += us;
      const place = owner(frame.url);
      byOwner.set(place, (byOwner.get(place) ?? 0) + us);
      const name = `${frame.functionName || '(anonymous)'} ${place}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    }
  }
  return [
    `busy: ${(all / 1000).toFixed(0)} ms`,
    'by package:',
    ...top(byOwner, all, count),
    'by function:',
    ...top(byFunction, all, count),
  ].join('\n');
}

if (require.main === module) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) throw new Error('usage: bench/profile-summary.ts <dir> [count]');
  process.stdout.write(`${summarise(resolve(dir), Number(count ?? 25))}\n`);
}
