import { NodeProcess } from '../../test/release/node-process';
import { createScratchDatabase } from '../../test/support/database';
import { freePort } from '../../test/support/free-port';
import { treeRssMiB } from '../support/proc-tree';
import { Measurement, Scenario } from '../support/report';
import { CORES, startBaseline, startBenchStack } from '../support/stack';
import { interleave } from '../support/stats';

/**
 * `entry` started as a process with `env` on a free port, timed to a 200 from `path`; its tree's
 * RSS once ready, then it is stopped.
 */
async function coldStart(name: string, entry: string, env: Record<string, string>, path: string) {
  const port = await freePort();
  const started = performance.now();
  const child = new NodeProcess(name, entry, { ...env, PORT: String(port) });
  try {
    for (;;) {
      if (child.exit) throw new Error(`${name} exited (${JSON.stringify(child.exit)}):\n${child.tail()}`);
      const ok = await fetch(`http://127.0.0.1:${port}${path}`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { ms: performance.now() - started, rss: treeRssMiB(child.pid) };
  } finally {
    await child.stop();
  }
}

/**
 * Cold start of the built api (`node dist/apps/api/src/main.js`, production, API_WORKERS processes,
 * the machine's PostgreSQL already migrated) to /health/ready 200, against a bare Node HTTP
 * server's start; RSS of the api's process tree once ready. The first start on a fresh database
 * (migrations and seeds) is a note.
 */
export const footprintScenario: Scenario = {
  name: 'footprint',
  description: 'cold start of the built api to /health/ready; idle RSS',
  async prepare() {
    const stack = await startBenchStack();
    const close = () => stack.stop();
    try {
      await stack.processes.api.stop();
      const api = stack.processes.api.entry;
      const fresh = await createScratchDatabase();
      const first = await coldStart(
        'api (fresh database)',
        api,
        { ...stack.env, DATABASE_URL: fresh.url },
        '/health/ready',
      ).finally(() => fresh.drop());
      const bareFile = 'bare-server.js';
      return {
        async round(index) {
          const [atelier, bare] = await interleave(
            index,
            () => coldStart('api', api, stack.env, '/health/ready'),
            async () => {
              const started = performance.now();
              const server = await startBaseline(bareFile, { WORKERS: String(CORES) });
              const ms = performance.now() - started;
              const rss = treeRssMiB(server.process.pid);
              await server.stop();
              return { ms, rss };
            },
          );
          const rows: Measurement[] = [
            {
              scenario: 'footprint',
              metric: 'start to ready',
              unit: 'ms',
              atelier: atelier.ms,
              baseline: bare.ms,
              target: { op: '<', value: 5000, on: 'atelier' },
              note: `api: ${CORES} processes, migrated database; first start on a fresh database (migrations + seeds): ${first.ms.toFixed(0)} ms; baseline: bare Fastify, ${CORES} processes, to listening`,
            },
            {
              scenario: 'footprint',
              metric: 'idle RSS (process tree)',
              unit: 'MiB',
              atelier: atelier.rss,
              baseline: bare.rss,
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
