import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Socket } from 'socket.io-client';
import { renderGenerate, renderPartials } from '../../libs/processing/src/providers/local/local-renderer';
import { connectEvents, type JobEvent } from '../../test/release/job-events';
import type { ReleaseStack } from '../../test/release/release-stack';
import { treeCpuMs } from '../support/proc-tree';
import { Measurement, Scenario } from '../support/report';
import {
  createBenchUser,
  stackDb,
  stackPids,
  startBaseline,
  startBenchStack,
  type BenchUser,
} from '../support/stack';
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
  cpuPerJob: number;
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
 * `generate` jobs on the local provider (64 px) submitted to the built api by premium users and
 * heard complete on the api's socket.io `/events` (as a browser hears them), run by 1 and then 2
 * worker processes (`node dist/apps/worker`); against a bare Bull no-op worker process (1, then 2)
 * on the same Redis at the same concurrency. Then single jobs one at a time, to separate Atelier's
 * per-job overhead from the render time and from queueing.
 */
export const jobsScenario: Scenario = {
  name: 'jobs',
  description: 'generate jobs end to end (local provider, 64x64), 1 and 2 worker processes, vs bare Bull',
  async prepare({ size }) {
    const total = size === 'full' ? 1_000 : 20;
    const clients = size === 'full' ? 50 : 4;
    const singles = size === 'full' ? 30 : 3;
    const stack = await startBenchStack({
      storage: 'local',
      env: { DEFAULT_PROVIDER: 'local', JOB_CONCURRENCY: String(PROCESS_CONCURRENCY) },
    });
    const db = stackDb(stack);
    const sockets: Socket[] = [];
    const close = async () => {
      sockets.forEach((s) => s.disconnect());
      await db.end();
      await stack.stop();
    };
    try {
      // Premium users (priority queue, 4 concurrent each); quota high enough for the whole run.
      await db.query(`UPDATE plans SET daily_generations = 1000000 WHERE slug = 'premium'`);
      const users: BenchUser[] = [];
      for (let i = 0; i < (size === 'full' ? 10 : 2); i++)
        users.push(await createBenchUser(stack, db, 'premium'));
      const finished = new Completions();
      for (const user of users) {
        const socket = await connectEvents(stack.url, user.token);
        socket.on('job.event', (event: JobEvent) => FINAL.has(event.type) && finished.done(event.jobId));
        sockets.push(socket);
      }
      const render = percentile(await renderTimes(singles), 50);
      let submitted = 0;
      const atelier = async (count: number, concurrency: number) => {
        const run = await submitAll(stack, users, count, concurrency, finished);
        submitted += count;
        await assertEveryJobSucceeded(db, submitted);
        return run;
      };

      return {
        async round(index) {
          // Alternate which goes first, so neither always gets the warmer machine.
          const bare1 = index % 2 ? await bareBull(stack, 1, total, clients) : undefined;
          const one = await atelier(total, clients);
          await stack.startWorker();
          const two = await atelier(total, clients).finally(() => stack.stopWorker());
          const bare2 = await bareBull(stack, 2, total, clients);
          const bareOne = bare1 ?? (await bareBull(stack, 1, total, clients));
          const single = await atelier(singles, 1);
          const bareSingle = await bareBull(stack, 1, singles, 1);
          const overhead = single.latencies.map((ms) => ms - render);
          const note = `${total} jobs, ${clients} clients, ${users.length} premium users; JOB_CONCURRENCY ${PROCESS_CONCURRENCY}; local storage directory shared by api and workers; baseline: bare Bull no-op worker processes`;
          const rows: Measurement[] = [
            {
              scenario: 'jobs',
              metric: 'jobs/s, 1 worker process',
              atelier: one.jobsPerSecond,
              baseline: bareOne.jobsPerSecond,
              note,
            },
            {
              scenario: 'jobs',
              metric: 'jobs/s, 2 worker processes',
              atelier: two.jobsPerSecond,
              baseline: bare2.jobsPerSecond,
              target: { op: '>=', value: 200, on: 'atelier' },
            },
            {
              scenario: 'jobs',
              metric: 'scaling 1 → 2 workers (×)',
              atelier: two.jobsPerSecond / one.jobsPerSecond,
              baseline: bare2.jobsPerSecond / bareOne.jobsPerSecond,
              target: { op: '>=', value: 1.6, on: 'atelier' },
            },
            {
              scenario: 'jobs',
              metric: 'CPU per job, 2 workers',
              unit: 'ms',
              atelier: two.cpuPerJob,
              baseline: bare2.cpuPerJob,
              target: { op: '<=', value: 8, on: 'atelier' },
              note: 'utime+stime from /proc: api tree + worker processes vs the bare Bull processes (the bench adds their jobs)',
            },
            {
              scenario: 'jobs',
              metric: 'submit→completed p50, 2 workers',
              unit: 'ms',
              atelier: percentile(two.latencies, 50),
              baseline: percentile(bare2.latencies, 50),
            },
            {
              scenario: 'jobs',
              metric: 'submit→completed p95, 2 workers',
              unit: 'ms',
              atelier: percentile(two.latencies, 95),
              baseline: percentile(bare2.latencies, 95),
            },
            {
              scenario: 'jobs',
              metric: 'single job overhead p95',
              unit: 'ms',
              atelier: percentile(overhead, 95),
              baseline: percentile(bareSingle.latencies, 95),
              target: { op: '<', value: 50, on: 'atelier' },
              note: `one job at a time, 1 worker, latency minus render time (render p50 ${render.toFixed(1)} ms); baseline: one bare Bull job`,
            },
          ];
          return rows;
        },
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  },
};

async function submitAll(
  stack: ReleaseStack,
  users: BenchUser[],
  total: number,
  clients: number,
  finished: Completions,
): Promise<Run> {
  const pids = stackPids(stack);
  const cpuBefore = treeCpuMs(pids);
  const submitted = new Map<string, number>();
  const started = performance.now();
  await pool(total, clients, async (i) => {
    const at = performance.now();
    const res = await fetch(`${stack.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...users[i % users.length].auth, 'content-type': 'application/json' },
      body: JSON.stringify(BODY),
    });
    const body = (await res.json()) as { id: string };
    if (res.status !== 202) throw new Error(`jobs: submit answered ${res.status} ${JSON.stringify(body)}`);
    submitted.set(body.id, at);
    if (clients === 1) await finished.wait(body.id);
  });
  const pending = () => [...submitted.keys()].filter((id) => !finished.at.has(id)).length;
  await until(() => pending() === 0, {
    timeoutMs: 60_000 + total * 100,
    describe: () => `${pending()} of ${total} jobs not finished`,
  });
  const cpuMs = treeCpuMs(pids) - cpuBefore;
  const ids = [...submitted.keys()];
  const last = Math.max(...ids.map((id) => finished.at.get(id)!));
  return {
    jobsPerSecond: total / ((last - started) / 1000),
    latencies: ids.map((id) => finished.at.get(id)! - submitted.get(id)!),
    cpuPerJob: cpuMs / total,
  };
}

/** A fast wrong answer must not pass: every job so far succeeded with exactly one image. */
async function assertEveryJobSucceeded(db: Pool, total: number): Promise<void> {
  const { rows: statuses } = await db.query<{ status: string; count: number }>(
    'SELECT status, count(*)::int AS count FROM jobs GROUP BY status',
  );
  const succeeded = statuses.find((s) => s.status === 'succeeded')?.count ?? 0;
  if (succeeded !== total || statuses.length !== 1) {
    throw new Error(`jobs: expected ${total} succeeded, got ${JSON.stringify(statuses)}`);
  }
  const { rows } = await db.query<{ jobs: number; images: number; wrong: number }>(
    `SELECT count(DISTINCT j.id)::int AS jobs, count(i.id)::int AS images,
            count(*) FILTER (WHERE cardinality(j.result_image_ids) <> 1)::int AS wrong
       FROM jobs j LEFT JOIN images i ON i.job_id = j.id`,
  );
  if (rows[0].jobs !== total || rows[0].images !== total || rows[0].wrong !== 0) {
    throw new Error(`jobs: expected one image per job, got ${JSON.stringify(rows[0])}`);
  }
}

/**
 * `processes` bare Bull worker processes (bench/baselines/bare-bull.js) on the stack's Redis, own
 * prefix; the jobs are added from here and heard complete through Bull's global events.
 */
async function bareBull(
  stack: ReleaseStack,
  processes: number,
  total: number,
  clients: number,
): Promise<Run> {
  const prefix = `benchbull${randomBytes(4).toString('hex')}`;
  const redisUrl = stack.env.REDIS_URL;
  const env = { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, CONCURRENCY: String(PROCESS_CONCURRENCY) };
  const workers = await Promise.all(
    Array.from({ length: processes }, () => startBaseline('bare-bull.js', env)),
  );
  const queue = new Bull('bench-noop', redisUrl, { prefix });
  const finished = new Completions();
  // Bull subscribes to global events lazily and says when it has.
  const subscribed = new Promise((resolve) => queue.once('registered:global:completed', resolve));
  queue.on('global:completed', (jobId: string | number) => finished.done(String(jobId)));
  try {
    await queue.isReady();
    await subscribed;
    const pids = workers.map((w) => w.process.pid);
    const cpuBefore = treeCpuMs(pids);
    const submitted = new Map<string, number>();
    const started = performance.now();
    await pool(total, clients, async (i) => {
      const at = performance.now();
      const job = await queue.add({ i }, { removeOnComplete: true });
      submitted.set(String(job.id), at);
      if (clients === 1) await finished.wait(String(job.id));
    });
    await until(() => [...submitted.keys()].every((id) => finished.at.has(id)), {
      timeoutMs: 60_000,
      describe: () => `bare Bull: ${finished.at.size} of ${total} done`,
    });
    const cpuMs = treeCpuMs(pids) - cpuBefore;
    const last = Math.max(...[...submitted.keys()].map((id) => finished.at.get(id)!));
    return {
      jobsPerSecond: total / ((last - started) / 1000),
      latencies: [...submitted].map(([id, at]) => finished.at.get(id)! - at),
      cpuPerJob: cpuMs / total,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
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
