import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Logger } from 'pino';
import type { Env } from '@atelier/core';

/** What the primary sends a worker to stop it (a signal could land twice on a stopping worker). */
export const STOP_MESSAGE = 'atelier:stop';
/** What a worker sends the primary once its app listens. */
export const SERVING_MESSAGE = 'atelier:serving';
/** More unexpected exits than this within a minute is a crash loop: the primary gives up. */
const MAX_RESTARTS_PER_MINUTE = 5;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The primary of an api cluster: forks API_WORKERS processes that all serve PORT (the primary
 * accepts connections and hands them round), resolves once every one listens, replaces a worker
 * that dies unexpectedly (giving up on a crash loop), and on SIGTERM/SIGINT stops every worker
 * gracefully, runs `cleanUp` and ends by the same signal, as a single api process does. With
 * WORKER_EMBEDDED, only one worker runs the embedded job worker and its crons.
 */
export async function runApiCluster(env: Env, logger: Logger, cleanUp: () => Promise<void>): Promise<void> {
  const embeds = new Map<Worker, boolean>();
  const serving = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;
  const secrets = sharedSecrets(env, logger);

  const fork = (embedded: boolean) => {
    const worker = cluster.fork({ ...secrets, ...(embedded ? {} : { WORKER_EMBEDDED: 'false' }) });
    embeds.set(worker, embedded);
    void servingNow(worker).then(() => serving.add(worker));
    return worker;
  };

  const stop = async (signal: NodeJS.Signals | undefined, code: number) => {
    if (stopping) return;
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    const exited = running.map((worker) => once(worker, 'exit'));
    // One still starting has nothing to drain (and may not listen for messages yet).
    for (const worker of running) {
      if (serving.has(worker) && worker.isConnected()) worker.send(STOP_MESSAGE);
      else worker.process.kill('SIGTERM');
    }
    await Promise.all(exited);
    await cleanUp();
    if (signal) process.kill(process.pid, signal);
    else process.exit(code);
  };
  for (const signal of SIGNALS) process.once(signal, () => void stop(signal, 0));

  let started = false;
  cluster.on('exit', (worker, code, signal) => {
    const embedded = embeds.get(worker) ?? false;
    embeds.delete(worker);
    serving.delete(worker);
    if (stopping) return;
    // A worker that exits before the cluster has started has a configuration or start-up error,
    // and so would its replacements: it has printed why; the primary stops the others and exits.
    if (!started) return void stop(undefined, 1);
    const now = Date.now();
    restarts.push(now);
    while (restarts[0] < now - 60_000) restarts.shift();
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      logger.error(
        { context: 'Cluster' },
        `api worker ${worker.process.pid} exited (${how}); crash loop, stopping`,
      );
      return void stop(undefined, 1);
    }
    logger.warn({ context: 'Cluster' }, `api worker ${worker.process.pid} exited (${how}); starting another`);
    fork(embedded);
  });

  const workers = Array.from({ length: env.API_WORKERS }, (_, i) => fork(env.WORKER_EMBEDDED && i === 0));
  await Promise.all(workers.map((worker) => servingNow(worker)));
  started = true;
}

/**
 * Outside production JWT_SECRET and STORAGE_SIGNING_SECRET may be unset, and a process then makes
 * up its own key: the cluster gets one for all its processes, else a token or file URL one process
 * issued would be refused by the others.
 */
function sharedSecrets(env: Env, logger: Logger): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of ['JWT_SECRET', 'STORAGE_SIGNING_SECRET'] as const) {
    if (env[name]) continue;
    secrets[name] = randomBytes(32).toString('hex');
    logger.warn({ context: 'Cluster' }, `${name} is not set: using a random key for this run`);
  }
  return secrets;
}

/** Resolves once the worker's app listens on PORT (it says so: it also listens on a socket of its own). */
function servingNow(worker: Worker): Promise<void> {
  return new Promise((done) => {
    const onMessage = (message: unknown) => {
      if (message !== SERVING_MESSAGE) return;
      worker.off('message', onMessage);
      done();
    };
    worker.on('message', onMessage);
  });
}
