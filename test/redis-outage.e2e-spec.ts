import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { EventBus } from '../libs/core/src';
import { waitFor } from './fakes/wait-for';
import { freePort } from './support/free-port';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, fakeClientIp, TestUser } from './support/users';

jest.setTimeout(90_000);

/** A Redis of this test's own, on its own port, that the test can take away and bring back. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(child.stdout, 'data', () => output.includes('Ready to accept connections'), {
    description: `redis-server on port ${port}`,
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

describe('while Redis is down the API answers 503 with Retry-After, not 500', () => {
  let t: TestApp;
  let redis: ChildProcess;
  let port: number;
  let user: TestUser;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
    user = await createUser(t);
  });
  afterAll(async () => {
    // A failure mid-test leaves Redis stopped: bring it back so the app can shut down cleanly.
    if (redis.exitCode !== null || redis.signalCode !== null) redis = await startRedis(port);
    await t?.close();
    await stopRedis(redis);
  });

  const login = () =>
    t.http
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', fakeClientIp())
      .send({ login: user.email, password: user.password });

  it('answers login with 503 service_unavailable and Retry-After, and recovers when Redis returns', async () => {
    await login().expect(200);
    await stopRedis(redis);

    const res = await login();
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'service_unavailable' });
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    redis = await startRedis(port);
    const client = t.app.get(EventBus).client;
    await waitFor(client, 'ready', () => client.status === 'ready', { timeoutMs: 10_000 });
    await login().expect(200);
  });
});
