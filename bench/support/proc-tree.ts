import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (100 on Linux, asked once). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcStat {
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks: its own CPU and that of children it has reaped. */
  ticks: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime };
}

/** Every live process of /proc with its stat. */
function allStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  return stats;
}

/** `roots` and all their live descendants (an api primary and its cluster children). */
function tree(roots: number[], stats: Map<number, ProcStat>): Set<number> {
  const inTree = new Set(roots);
  // Parents have smaller pids only usually, so walk until no new descendant shows up.
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!inTree.has(pid) && inTree.has(stat.ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  return inTree;
}

/**
 * CPU milliseconds spent so far by the processes `roots` and all their descendants (an api primary
 * and its cluster children, worker processes). A live process's reaped children are in its cutime,
 * and live ones are counted on their own, so nothing is counted twice.
 */
export function treeCpuMs(roots: number[]): number {
  const stats = allStats();
  let ticks = 0;
  for (const pid of tree(roots, stats)) ticks += stats.get(pid)?.ticks ?? 0;
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU of the trees of `pids()` over `work` (sampled before and after): { result, cpuMs }. */
export async function measureCpu<T>(pids: () => number[], work: () => Promise<T>) {
  const before = treeCpuMs(pids());
  const result = await work();
  return { result, cpuMs: treeCpuMs(pids()) - before };
}

/** Resident memory (MiB) of `root` and its descendants, summed (shared pages counted per process). */
export function treeRssMiB(root: number): number {
  let kib = 0;
  for (const pid of tree([root], allStats())) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
  }
  return kib / 1024;
}
