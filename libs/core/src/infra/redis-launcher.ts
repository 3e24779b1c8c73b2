import { Logger } from '@nestjs/common';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';

export interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

function answers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * The embedded default for Redis: use the one on 127.0.0.1:6379 when it answers, else run the
 * machine's `redis-server` as a child process with its data under `<dataDir>/redis`.
 */
export async function ensureRedis(configuredUrl: string | undefined, dataDir: string): Promise<RedisHandle> {
  if (configuredUrl) return { url: configuredUrl, stop: async () => undefined };
  if (await answers('127.0.0.1', 6379)) return { url: DEFAULT_URL, stop: async () => undefined };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(
      'No Redis answers on 127.0.0.1:6379 and REDIS_URL is not set. Start one with ' +
        "`docker compose up -d redis`, or install your distribution's `redis-server` package.",
    );
  }
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const logger = new Logger('EmbeddedRedis');
  const child: ChildProcess = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', '6379', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: 'ignore' },
  );
  // A child process outlives its parent unless stopped: stop it whatever way this process ends.
  process.once('exit', () => child.kill('SIGTERM'));
  for (let i = 0; i < 100 && !(await answers('127.0.0.1', 6379)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await answers('127.0.0.1', 6379))) throw new Error('redis-server did not start');
  logger.log(`Started redis-server with data in ${dir}`);
  return {
    url: DEFAULT_URL,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
