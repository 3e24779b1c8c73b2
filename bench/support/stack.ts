import { statSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { NodeProcess } from '../../test/release/node-process';
import {
  startReleaseStack,
  type ReleaseStack,
  type ReleaseStackOptions,
} from '../../test/release/release-stack';
import { freePort } from '../../test/support/free-port';

export const ROOT = resolve(__dirname, '..', '..');
export const CORES = availableParallelism();

/** The newest modification time of the files under `dir` whose names match `pattern`. */
function newest(dir: string, pattern: RegExp): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name))
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * The bench measures the build users run: it refuses a missing dist/, or (for this checkout) one
 * older than the sources. `npm run build` makes it; CI builds before its release stage.
 */
export function assertBuilt(checkout = ROOT): string {
  const dist = join(checkout, 'dist');
  const entry = join(dist, 'apps/api/src/main.js');
  let built: number;
  try {
    built = statSync(entry).mtimeMs;
    statSync(join(dist, 'apps/worker/src/main.js'));
  } catch {
    throw new Error(`no built app in ${dist}: run \`npm run build\` there first`);
  }
  if (checkout === ROOT) {
    const sources = Math.max(
      ...['apps', 'libs', 'migrations', 'seeds'].map((d) => newest(join(ROOT, d), /\.(ts|json)$/)),
    );
    if (sources > built) throw new Error(`${dist} is older than the sources: run \`npm run build\` first`);
  }
  return dist;
}

export interface BenchStackOptions extends ReleaseStackOptions {
  /** Default `info`, as shipped (the stack waits for the processes' info lines). */
  logLevel?: string;
}

/**
 * The release topology from `startReleaseStack` as the bench runs it: production mode, the api as
 * `API_WORKERS` processes (default: one per core) and separate worker processes.
 */
export function startBenchStack(options: BenchStackOptions = {}): Promise<ReleaseStack> {
  return startReleaseStack({
    apiWorkers: CORES,
    readyTimeoutMs: 180_000,
    ...options,
    // With `--profile <dir>` (run.ts sets BENCH_PROFILE_DIR), a V8 CPU profile per process at exit
    // (cluster workers inherit the primary's node options).
    nodeArgs: process.env.BENCH_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : undefined,
    env: { LOG_LEVEL: options.logLevel ?? 'info', ...options.env },
  });
}

/** Every process of the stack that does the work measured: the api (and its children), the workers. */
export function stackPids(stack: ReleaseStack): number[] {
  return [stack.processes.api.pid, ...stack.processes.workers.map((w) => w.pid)];
}

export interface BenchUser {
  id: string;
  token: string;
  auth: { Authorization: string };
}

/**
 * A user through the api (register, log in); the mail round trip is replaced by marking the email
 * verified in SQL, and the plan is set in SQL when asked.
 */
export async function createBenchUser(stack: ReleaseStack, db: Pool, planSlug?: string): Promise<BenchUser> {
  const name = `bench${Math.random().toString(36).slice(2, 10)}`;
  const password = `Pw-${Math.random().toString(36).slice(2)}-x`;
  const post = (path: string, body: unknown) =>
    fetch(`${stack.url}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registered = await post('auth/register', { email: `${name}@example.test`, username: name, password });
  const user = (await registered.json()) as { id: string };
  if (registered.status !== 201)
    throw new Error(`register answered ${registered.status}: ${JSON.stringify(user)}`);
  await db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [user.id]);
  if (planSlug)
    await db.query('UPDATE users SET plan_id = (SELECT id FROM plans WHERE slug = $2) WHERE id = $1', [
      user.id,
      planSlug,
    ]);
  const login = await post('auth/login', { login: name, password });
  const body = (await login.json()) as { accessToken: string };
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(body)}`);
  return { id: user.id, token: body.accessToken, auth: { Authorization: `Bearer ${body.accessToken}` } };
}

/** A pool on the stack's database, for seeding and for checking what was measured. */
export function stackDb(stack: ReleaseStack): Pool {
  return new Pool({ connectionString: stack.env.DATABASE_URL, max: 4 });
}

/**
 * A baseline of `bench/baselines/` as its own process (plain JavaScript, `node <file>`), resolved
 * once it prints `ready`. Servers get a free PORT and listen on it: `url` is their base URL.
 */
export async function startBaseline(
  file: string,
  env: Record<string, string>,
): Promise<{ process: NodeProcess; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = new NodeProcess(file, join(ROOT, 'bench/baselines', file), {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    ...env,
  });
  try {
    await child.waitForOutput(/^ready/m, 30_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { process: child, url: `http://127.0.0.1:${port}`, stop: () => child.stop() };
}
