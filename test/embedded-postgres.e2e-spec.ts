import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './support/free-port';

/** Resolves when the child prints a line matching `pattern` (its JSON logs), rejects if it exits. */
function waitForLog(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${seen.slice(-1500)}`)));
  });
}

describe('npm start without DATABASE_URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-embedded-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this directory.
  chmodSync(dataDir, 0o755);
  let child: ChildProcess;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs an embedded PostgreSQL, migrates it, serves readiness, and stops it on SIGTERM', async () => {
    const [port, pgPort] = await Promise.all([freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      STORAGE_DIR: join(dataDir, 'media'),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      QUEUE_PREFIX: `embedded${pgPort}`,
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    child = spawn(process.execPath, ['-r', './scripts/ts-register.js', 'apps/api/src/main.ts'], {
      cwd: join(__dirname, '..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForLog(child, /Nest application successfully started/);

    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);

    const db = new Client({ connectionString: `postgres://postgres:atelier@127.0.0.1:${pgPort}/atelier` });
    await db.connect();
    const { rows } = await db.query('SELECT count(*)::int AS n FROM migrations');
    await db.end();
    const migrationFiles = readdirSync(join(__dirname, '..', 'migrations')).filter((f) => f.endsWith('.ts'));
    expect(rows[0].n).toBe(migrationFiles.length);

    const exited = new Promise<number | null>((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    const probe = new Client({ connectionString: `postgres://postgres:atelier@127.0.0.1:${pgPort}/atelier` });
    await expect(probe.connect()).rejects.toThrow();
  });
});
