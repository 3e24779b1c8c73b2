import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../support/load';
import { Scenario } from '../support/report';
import { freePort } from '../../test/support/free-port';

const ROOT = join(__dirname, '..', '..');

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function untilReady(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** Start `node <entry>` and time it to a 200 from `path`; returns the running child. */
async function timeStart(entry: string[], env: NodeJS.ProcessEnv, port: number, path: string) {
  const started = performance.now();
  const child = spawn(process.execPath, entry, { cwd: ROOT, env, stdio: 'ignore' });
  const ms = await untilReady(`http://127.0.0.1:${port}${path}`, child, started);
  return { child, ms };
}

/**
 * Cold start of the built api (`node dist/apps/api/src/main.js`, embedded PostgreSQL with an
 * initialised data directory) to /health/ready 200, against a bare Node HTTP server's start; idle
 * RSS and RSS under load.
 */
export const footprintScenario: Scenario = {
  name: 'footprint',
  description: 'cold start to /health/ready with embedded PostgreSQL; RSS idle and under load',
  async run(size) {
    execFileSync(process.execPath, ['scripts/prestart.js'], { cwd: ROOT, stdio: 'ignore' });
    const dataDir = mkdtempSync(join(tmpdir(), 'atelier-bench-'));
    chmodSync(dataDir, 0o755);
    const [port, pgPort] = await Promise.all([freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      QUEUE_PREFIX: `bench${pgPort}`,
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    const api = ['dist/apps/api/src/main.js'];
    try {
      // The first start runs initdb, migrations and seeds; a user pays that once.
      const first = await timeStart(api, env, port, '/health/ready');
      await stop(first.child);
      const second = await timeStart(api, env, port, '/health/ready');
      const idle = rssMiB(second.child.pid!);
      await load({
        url: `http://127.0.0.1:${port}/health/live`,
        connections: 50,
        seconds: size === 'full' ? 5 : 1,
      });
      const loaded = rssMiB(second.child.pid!);
      await stop(second.child);

      const barePort = await freePort();
      const bareScript = `require('http').createServer((q,s)=>s.end('ok')).listen(${barePort},'127.0.0.1')`;
      const bare = await timeStart(['-e', bareScript], process.env, barePort, '/');
      const bareRss = rssMiB(bare.child.pid!);
      await stop(bare.child);

      return [
        {
          scenario: 'footprint',
          metric: 'start to ready',
          unit: 'ms',
          atelier: second.ms,
          baseline: bare.ms,
          target: { op: '<', value: 5000, on: 'atelier' },
          note: `first start (initdb + migrations + seeds): ${first.ms.toFixed(0)} ms`,
        },
        { scenario: 'footprint', metric: 'idle RSS', unit: 'MiB', atelier: idle, baseline: bareRss },
        { scenario: 'footprint', metric: 'RSS under load', unit: 'MiB', atelier: loaded },
      ];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
