/** Nearest-rank percentile of `values` (ms); 0 for an empty list. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight (a pool of clients). */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const client = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, client));
}

/** Resolves when `done()` holds, checking every `everyMs`; rejects with `describe()` after `timeoutMs`. */
export async function until(
  done: () => Promise<boolean> | boolean,
  options: { timeoutMs: number; everyMs?: number; describe: () => Promise<string> | string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await options.describe()}`);
    await new Promise((r) => setTimeout(r, options.everyMs ?? 100));
  }
}

/**
 * Atelier and its baseline measured one after the other in the same round, alternating which goes
 * first, so that neither always gets the warmer (or the more loaded) machine.
 */
export async function interleave<A, B>(
  round: number,
  atelier: () => Promise<A>,
  baseline: () => Promise<B>,
): Promise<[A, B]> {
  if (round % 2 === 0) {
    const a = await atelier();
    return [a, await baseline()];
  }
  const b = await baseline();
  return [await atelier(), b];
}
