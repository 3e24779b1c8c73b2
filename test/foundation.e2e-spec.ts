import { Controller, Get, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CoreModule, createHttpApp } from '../libs/core/src';
import { startTestApp, TestApp } from './support/test-app';

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ QUEUE_DASHBOARD_PASSWORD: 'operator-secret' });
  });
  afterAll(() => t.close());

  it('answers liveness and readiness (PostgreSQL and Redis up)', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.http.get('/api/v1/nope').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found' });
    expect(res.body.type).toMatch(/^https:\/\//);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t.http
      .post('/api/v1/nope')
      .set('content-type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('carries a request id on every response, honouring a sane incoming one', async () => {
    const mine = await t.http.get('/health/live').set('x-request-id', 'trace-abc-123');
    expect(mine.headers['x-request-id']).toBe('trace-abc-123');
    const minted = await t.http.get('/health/live').set('x-request-id', 'bad id with spaces');
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('publishes the OpenAPI document with bearer auth and Swagger UI', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/health/live');
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ui = await t.http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('exposes Prometheus metrics including the request histogram and queue gauges', async () => {
    await t.http.get('/health/live');
    const res = await t.http.get('/metrics').expect(200);
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*status="200"/,
    );
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/queue_jobs\{queue="generation",state="waiting"\} 0/);
  });

  it('keeps the queue dashboard behind operator credentials', async () => {
    await t.http.get('/admin/queues').expect(401);
    const wrong = Buffer.from('admin:nope').toString('base64');
    await t.http.get('/admin/queues').set('authorization', `Basic ${wrong}`).expect(401);
    const right = Buffer.from('admin:operator-secret').toString('base64');
    const res = await t.http.get('/admin/queues').set('authorization', `Basic ${right}`).expect(200);
    expect(res.text).toContain('<div id="root">');
  });

  it('lets an admin token into the queue dashboard, not a user token', async () => {
    const jwt = t.app.get(JwtService);
    const admin = await jwt.signAsync({ sub: '00000000-0000-4000-8000-000000000001', role: 'admin' });
    const user = await jwt.signAsync({ sub: '00000000-0000-4000-8000-000000000002', role: 'user' });
    await t.http.get('/admin/queues').set('authorization', `Bearer ${user}`).expect(401);
    await t.http.get('/admin/queues').set('authorization', `Bearer ${admin}`).expect(200);
  });
});

describe('configuration', () => {
  it('refuses to start with a bad value, naming the variable in one line', async () => {
    const main = join(__dirname, '..', 'apps', 'api', 'src', 'main.ts');
    const child = spawn(process.execPath, ['-r', './scripts/ts-register.js', main], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, PORT: 'not-a-port', STORAGE_DRIVER: 'ftp' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('STORAGE_DRIVER');
  });
});

describe('unexpected errors', () => {
  it('answer a 500 problem without stack or internals', async () => {
    // Defined after startTestApp: the module reads the environment that call prepares.
    const t = await startTestApp();

    @Controller('boom')
    class BoomController {
      @Get()
      explode(): never {
        throw new Error('secret internal detail at /srv/app/file.ts:42');
      }
    }
    @Module({ imports: [CoreModule.forRoot([])], controllers: [BoomController] })
    class BoomModule {}

    const app = await createHttpApp(BoomModule, { trustProxy: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.getHttpServer().address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/boom`);
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({ status: 500, code: 'internal_error' });
      expect(body).not.toContain('secret internal detail');
      expect(body).not.toContain('file.ts');
    } finally {
      await app.close();
      await t.close();
    }
  });
});
