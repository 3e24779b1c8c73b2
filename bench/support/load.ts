import autocannon from 'autocannon';

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

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Fixed connections for a fixed time; latency percentiles come from autocannon's histogram. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const base = { url: options.url, connections: options.connections, headers: options.headers };
  if (options.warmupSeconds) await run({ ...base, duration: options.warmupSeconds });
  const result = await run({ ...base, duration: options.seconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p95: result.latency.p97_5 ?? result.latency.p90,
    p99: result.latency.p99,
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
