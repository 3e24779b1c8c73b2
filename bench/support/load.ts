import autocannon from 'autocannon';
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

/** Runs autocannon and keeps every response time (ms), for exact percentiles. */
function run(options: autocannon.Options): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve({ result, latencies }),
    );
    instance.on('response', (_client, _status, _bytes, responseTime: number) => latencies.push(responseTime));
  });
}

/**
 * Fixed connections for a fixed time. Percentiles are computed from every response time
 * (autocannon's own summary has p97.5 but no p95).
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
  const { result, latencies } = await run({ ...base, duration: options.seconds });
  return {
    rps: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
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
