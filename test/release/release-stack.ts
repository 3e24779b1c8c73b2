import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startComfyUIFake, type ComfyUIFake } from '../fakes/comfyui.fake';
import { startS3Fake, type S3Fake } from '../fakes/s3.fake';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp.fake';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ContractValidator } from '../support/contract-validator';
import { createScratchDatabase } from '../support/database';
import { freePort } from '../support/free-port';
import { deleteRedisKeys } from '../support/redis-keys';
import { ApiClient } from './api-client';
import { NodeProcess } from './node-process';

/** The built application under test: `RELEASE_DIST` (another checkout's build) or this tree's dist/. */
export const DIST = resolve(process.env.RELEASE_DIST ?? join(__dirname, '..', '..', 'dist'));

export interface ReleaseStackOptions {
  /** `s3` (on s3rver, the default) or `local` (one directory shared by api and worker, like a volume). */
  storage?: 's3' | 'local';
  env?: Record<string, string>;
  /** Worker processes started beside the api (default 1); more can be added with `startWorker`. */
  workers?: number;
  /** `API_WORKERS` for the api (its processes sharing the port); unset keeps the app's default. */
  apiWorkers?: number;
  /** How long the api and workers may take to be ready (default 60 s; a loaded machine is slower). */
  readyTimeoutMs?: number;
  /** The built tree to run (default `DIST`), e.g. another checkout's dist/ for comparisons. */
  dist?: string;
  /** Options for `node` itself (before the entry point), e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

export interface ReleaseStack {
  /** The api's base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  api: ApiClient;
  /** `worker` is the first of `workers` (every worker process running, in start order). */
  processes: { api: NodeProcess; worker: NodeProcess; workers: NodeProcess[] };
  /** Starts one more worker process on the same environment; resolves once it is ready. */
  startWorker(): Promise<NodeProcess>;
  /** Stops the most recently started worker process (SIGTERM, as a scale-down does). */
  stopWorker(): Promise<void>;
  smtp: SmtpFake;
  comfy: ComfyUIFake;
  s3?: S3Fake;
  admin: { email: string; password: string };
  env: Record<string, string>;
  /** Every answer `api` (and clients built on `contractFetch`) saw, checked against /docs-json. */
  contract: ContractValidator;
  /** A `fetch` whose answers the contract checks too (for the typed client). */
  contractFetch: typeof fetch;
  stop(): Promise<void>;
}

/**
 * The compose topology as processes: a fresh database on the machine's PostgreSQL, loopback fakes
 * of the outside world, then `node dist/apps/api/src/main.js` and `node dist/apps/worker/src/main.js`
 * started at the same moment with NODE_ENV=production and shared secrets, as two containers
 * reading one `.env` would be. Nothing is prepared in the database by hand.
 */
export async function startReleaseStack(options: ReleaseStackOptions = {}): Promise<ReleaseStack> {
  const database = await createScratchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'atelier-release-'));
  const [smtp, comfy, port] = await Promise.all([
    startSmtpFake(),
    startComfyUIFake({ steps: 2 }),
    freePort(),
  ]);
  const s3 = options.storage === 'local' ? undefined : await startS3Fake({ bucket: 'atelier-release' });
  const prefix = `rel${randomBytes(5).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const admin = {
    email: `admin-${prefix}@example.test`,
    password: `Adm-${randomBytes(12).toString('base64url')}`,
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    WORKER_EMBEDDED: 'false',
    // The api as a cluster of two processes sharing the port (see the cluster release spec).
    API_WORKERS: '2',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    STORAGE_SIGNING_SECRET: randomBytes(24).toString('hex'),
    SMTP_URL: smtp.url,
    COMFYUI_URL: comfy.url,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // The webhook receiver listens on loopback.
    ALLOW_PRIVATE_WEBHOOKS: 'true',
    METRICS_TOKEN: randomBytes(16).toString('hex'),
    // Every client of this stage calls from 127.0.0.1.
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    ...storageEnv(s3, dataDir),
    ...(options.apiWorkers ? { API_WORKERS: String(options.apiWorkers) } : {}),
    ...options.env,
  };
  const dist = options.dist ?? DIST;
  const newWorker = () =>
    new NodeProcess(
      `worker${workers.length + 1}`,
      join(dist, 'apps/worker/src/main.js'),
      env,
      options.nodeArgs,
    );
  const workers: NodeProcess[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) workers.push(newWorker());
  const processes = {
    api: new NodeProcess('api', join(dist, 'apps/api/src/main.js'), env, options.nodeArgs),
    worker: workers[0],
    workers,
  };
  const startWorker = async () => {
    const worker = newWorker();
    workers.push(worker);
    await worker.waitForOutput(/Worker ready/, options.readyTimeoutMs);
    return worker;
  };
  const stopWorker = async () => {
    await workers.pop()?.stop();
  };
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([processes.api.stop(), ...workers.map((w) => w.stop())]);
    await Promise.all([smtp.close(), comfy.close(), s3?.close()]);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    await deleteRedisKeys(redisUrl, prefix);
  };
  try {
    await Promise.all([
      // The cluster's primary says so once every api process listens (several boots on a shared
      // machine); builds from before the cluster (a compared dist) print only Nest's line.
      processes.api.waitForOutput(
        dist === DIST ? /Atelier API at / : /Atelier API at |Nest application successfully started/,
        options.readyTimeoutMs ?? 120_000,
      ),
      ...workers.map((w) => w.waitForOutput(/Worker ready/, options.readyTimeoutMs)),
    ]);
    const ready = await fetch(`${url}/health/ready`);
    if (ready.status !== 200)
      throw new Error(`/health/ready answered ${ready.status}: ${await ready.text()}`);
    const document = (await (await fetch(`${url}/docs-json`)).json()) as OpenAPIObject;
    const contract = new ContractValidator(document);
    const api = new ApiClient(url, undefined, (...answer) => contract.checkUrl(...answer));
    const contractFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      const text = await response.clone().text();
      contract.checkUrl(
        request.method,
        request.url,
        response.status,
        response.headers.get('content-type') ?? '',
        text,
      );
      return response;
    };
    return {
      url,
      api,
      processes,
      startWorker,
      stopWorker,
      smtp,
      comfy,
      s3,
      admin,
      env,
      contract,
      contractFetch,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function storageEnv(s3: S3Fake | undefined, dataDir: string): Record<string, string> {
  if (!s3) return { STORAGE_DRIVER: 'local', STORAGE_DIR: join(dataDir, 'media') };
  return {
    STORAGE_DRIVER: 's3',
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.url,
    S3_REGION: s3.region,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
}
