import type autocannon from 'autocannon';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { measureCpu } from './proc-tree';
import { percentile } from './stats';

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Seconds of unmeasured warm-up (JIT, pools, caches) before the measured run. */
  warmupSeconds?: number;
}

interface ThreadOutcome {
  summary: Pick<LoadResult, 'rps' | 'requests' | 'non2xx' | 'errors'>;
  latencies: number[];
}

/** One autocannon run in its own thread (see load-thread.js). */
function run(options: autocannon.Options): Promise<ThreadOutcome> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(join(__dirname, 'load-thread.js'), { workerData: options });
    thread.once('message', (message: ThreadOutcome & { error?: string }) =>
      message.error ? reject(new Error(`autocannon: ${message.error}`)) : resolve(message),
    );
    thread.once('error', reject);
    thread.once('exit', (code) => code !== 0 && reject(new Error(`load thread exited with ${code}`)));
  });
}

/**
 * Fixed connections for a fixed time, from a separate thread. Percentiles are computed from every
 * response time.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  // A generous request timeout: slow baselines (a search without its index) must be measured, not dropped.
  const base = {
    url: options.url,
    connections: options.connections,
    headers: options.headers,
    timeout: 60,
  };
  if (options.warmupSeconds) await run({ ...base, duration: options.warmupSeconds });
  const { summary, latencies } = await run({ ...base, duration: options.seconds });
  return {
    ...summary,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

/** A fast wrong answer must not pass: every measured response has to be a 2xx. */
export function assertAllOk(name: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(
      `${name}: ${result.non2xx} non-2xx and ${result.errors} errors in ${result.requests} requests`,
    );
  }
}

/**
 * An unmeasured warm-up, then a load whose CPU is read from /proc for the process trees of `pids`
 * (before and after): every response must be a 2xx. `cpuPerRequest` is in ms.
 */
export async function measuredLoad(name: string, options: LoadOptions, pids: number[]) {
  if (options.warmupSeconds) await load({ ...options, seconds: options.warmupSeconds, warmupSeconds: 0 });
  const { result, cpuMs } = await measureCpu(
    () => pids,
    () => load({ ...options, warmupSeconds: 0 }),
  );
  assertAllOk(name, result);
  return { ...result, cpuMs, cpuPerRequest: cpuMs / result.requests };
}
