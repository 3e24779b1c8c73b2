import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { EventBus } from '../../libs/core/src';
import { renderGenerate, renderPartials } from '../../libs/processing/src/providers/local/local-renderer';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { createUser, type TestUser } from '../../test/support/users';
import { BenchRow, Scenario } from '../support/report';
import { percentile, pool, until } from '../support/stats';

/** The worker's JOB_CONCURRENCY (its default); the bare queue gets the same. */
const PROCESS_CONCURRENCY = 16;
const FINAL = new Set(['completed', 'failed', 'cancelled']);
const BODY = {
  type: 'generate',
  provider: 'local',
  prompt: 'a bench castle',
  params: { size: '64x64', n: 1 },
};

interface Run {
  jobsPerSecond: number;
  latencies: number[];
}

/** When each job finished (performance.now()), and a way to await one. */
class Completions {
  readonly at = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();

  done(id: string): void {
    this.at.set(id, performance.now());
    this.waiters.get(id)?.();
  }

  wait(id: string, timeoutMs = 30_000): Promise<void> {
    if (this.at.has(id)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`job ${id} did not finish in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.set(id, () => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve();
      });
    });
  }
}

/**
 * `generate` jobs on the local provider submitted through POST /api/v1/jobs by many premium users,
 * measured from submit to the `completed` event (EventBus, no polling), against a bare Bull queue
 * on the same Redis running no-op jobs at the processor's concurrency. Then single jobs one at a
 * time, to separate Atelier's per-job overhead from the render time and from queueing.
 */
export const jobsScenario: Scenario = {
  name: 'jobs',
  description: 'generate jobs end to end (local provider, 64x64) vs a bare Bull queue',
  async run(size) {
    const total = size === 'full' ? 2_000 : 20;
    const clients = size === 'full' ? 50 : 4;
    const singles = size === 'full' ? 30 : 3;
    const t = await startTestApp({
      LOG_LEVEL: 'warn',
      FEATURES: 'images,styles,processing',
      DEFAULT_PROVIDER: 'local',
      DATABASE_POOL_SIZE: '20',
      JOB_CONCURRENCY: String(PROCESS_CONCURRENCY),
    });
    try {
      // Premium users (priority queue, 4 concurrent each); quota high enough for the whole run.
      await t.db.query(`UPDATE plans SET daily_generations = 1000000 WHERE slug = 'premium'`);
      const users = await Promise.all(
        Array.from({ length: size === 'full' ? 10 : 2 }, () => createUser(t, { planSlug: 'premium' })),
      );
      const finished = await watchCompletions(t);

      const baseline = await bareBull(t.env.REDIS_URL, total, clients);
      const baselineSingle = await bareBull(t.env.REDIS_URL, singles, 1, true);

      const atelier = await submitAll(t, users, total, clients, finished);
      await assertEveryJobSucceeded(t, total);
      const single = await submitAll(t, users, singles, 1, finished, true);
      const render = await renderTimes(singles);

      const renderP50 = percentile(render, 50);
      const overhead = single.latencies.map((ms) => ms - renderP50);
      return [
        {
          scenario: 'jobs',
          metric: 'jobs/s end to end',
          atelier: atelier.jobsPerSecond,
          baseline: baseline.jobsPerSecond,
          target: { op: '>=', value: 200, on: 'atelier' },
          note: `${total} jobs, ${clients} clients, ${users.length} premium users; baseline: bare Bull no-op jobs, concurrency ${PROCESS_CONCURRENCY}`,
        },
        row('submit→completed p50', percentile(atelier.latencies, 50), percentile(baseline.latencies, 50)),
        row('submit→completed p95', percentile(atelier.latencies, 95), percentile(baseline.latencies, 95)),
        {
          ...row(
            'single job overhead p95',
            percentile(overhead, 95),
            percentile(baselineSingle.latencies, 95),
          ),
          target: { op: '<', value: 50, on: 'atelier' },
          note: `one job at a time, latency minus render time (render p50 ${renderP50.toFixed(1)} ms); baseline: one bare Bull job`,
        },
      ];
    } finally {
      await t.close();
    }
  },
};

const row = (metric: string, atelier: number, baseline: number): BenchRow => ({
  scenario: 'jobs',
  metric,
  unit: 'ms',
  atelier,
  baseline,
});

/** Every job's final event time, by job id, heard on the app's own EventBus (as SSE clients are). */
async function watchCompletions(t: TestApp): Promise<Completions> {
  const finished = new Completions();
  await t.app.get(EventBus).subscribe('job.*', (_channel, payload) => {
    const message = payload as { jobId: string; type: string };
    if (FINAL.has(message.type)) finished.done(message.jobId);
  });
  return finished;
}

async function submitAll(
  t: TestApp,
  users: TestUser[],
  total: number,
  clients: number,
  finished: Completions,
  awaitEach = false,
): Promise<Run> {
  const submitted = new Map<string, number>();
  const started = performance.now();
  await pool(total, clients, async (i) => {
    const at = performance.now();
    const res = await fetch(`${t.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...users[i % users.length].auth, 'content-type': 'application/json' },
      body: JSON.stringify(BODY),
    });
    const body = (await res.json()) as { id: string };
    if (res.status !== 202) throw new Error(`jobs: submit answered ${res.status} ${JSON.stringify(body)}`);
    submitted.set(body.id, at);
    if (awaitEach) await finished.wait(body.id);
  });
  const pending = () => [...submitted.keys()].filter((id) => !finished.at.has(id)).length;
  await until(() => pending() === 0, {
    timeoutMs: 60_000 + total * 100,
    describe: () => `${pending()} of ${total} jobs not finished`,
  });
  const ids = [...submitted.keys()];
  const last = Math.max(...ids.map((id) => finished.at.get(id)!));
  return {
    jobsPerSecond: total / ((last - started) / 1000),
    latencies: ids.map((id) => finished.at.get(id)! - submitted.get(id)!),
  };
}

/** A fast wrong answer must not pass: every job succeeded with exactly one image. */
async function assertEveryJobSucceeded(t: TestApp, total: number): Promise<void> {
  const statuses: { status: string; count: number }[] = await t.db.query(
    'SELECT status, count(*)::int AS count FROM jobs GROUP BY status',
  );
  const succeeded = statuses.find((s) => s.status === 'succeeded')?.count ?? 0;
  if (succeeded !== total || statuses.length !== 1) {
    throw new Error(`jobs: expected ${total} succeeded, got ${JSON.stringify(statuses)}`);
  }
  const [images]: { jobs: number; images: number; wrong: number }[] = await t.db.query(
    `SELECT count(DISTINCT j.id)::int AS jobs, count(i.id)::int AS images,
            count(*) FILTER (WHERE cardinality(j.result_image_ids) <> 1)::int AS wrong
       FROM jobs j LEFT JOIN images i ON i.job_id = j.id`,
  );
  if (images.jobs !== total || images.images !== total || images.wrong !== 0) {
    throw new Error(`jobs: expected one image per job, got ${JSON.stringify(images)}`);
  }
}

/** A bare Bull queue in this process on the same Redis (own prefix): no-op jobs, same concurrency. */
async function bareBull(redisUrl: string, total: number, clients: number, awaitEach = false): Promise<Run> {
  const queue = new Bull('bench-noop', redisUrl, { prefix: `benchbull${randomBytes(4).toString('hex')}` });
  const finished = new Completions();
  queue.on('completed', (job) => finished.done(String(job.id)));
  void queue.process(PROCESS_CONCURRENCY, async () => undefined);
  await queue.isReady();
  try {
    const submitted = new Map<string, number>();
    const started = performance.now();
    await pool(total, clients, async (i) => {
      const at = performance.now();
      const job = await queue.add({ i }, { removeOnComplete: true });
      submitted.set(String(job.id), at);
      if (awaitEach) await finished.wait(String(job.id));
    });
    await until(() => finished.at.size >= total, {
      timeoutMs: 60_000,
      describe: () => `bare Bull: ${finished.at.size} of ${total} done`,
    });
    const last = Math.max(...finished.at.values());
    return {
      jobsPerSecond: total / ((last - started) / 1000),
      latencies: [...submitted].map(([id, at]) => finished.at.get(id)! - at),
    };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

/** What the local provider itself spends on one 64×64 job (two previews and the image). */
async function renderTimes(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let seed = 0; seed < count; seed++) {
    const input = { prompt: BODY.prompt, seed, width: 64, height: 64, outputFormat: 'png' as const };
    const at = performance.now();
    await renderPartials(input, 2);
    await renderGenerate(input);
    times.push(performance.now() - at);
  }
  return times;
}
