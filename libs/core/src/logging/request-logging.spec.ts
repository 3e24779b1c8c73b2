import Fastify, { type FastifyInstance } from 'fastify';
import { storage } from 'nestjs-pino/storage';
import { Writable } from 'node:stream';
import { httpLoggerOptions } from './http-logger-options';
import { registerRequestLogging } from './request-logging';

describe('registerRequestLogging', () => {
  let app: FastifyInstance;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    let next = 0;
    app = Fastify({ genReqId: () => `req-${++next}` });
    registerRequestLogging(app, httpLoggerOptions('info'), sink);
    // What a Nest `Logger` call does inside a request: log through the bound request logger.
    app.get('/api/v1/things', async (request) => {
      storage.getStore()?.logger.info({ step: 'inside' }, 'handling');
      return { id: request.id };
    });
    app.get('/health/live', async () => ({ bound: storage.getStore() !== undefined }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('logs API requests with their id, and binds it to lines logged while handling them', async () => {
    const res = await app.inject({ url: '/api/v1/things?access_token=secret' });
    const id: string = res.json().id;
    const inside = lines.find((l) => l.step === 'inside');
    const completed = lines.find((l) => l.msg === 'request completed');
    expect(inside).toMatchObject({ requestId: id });
    expect(completed).toMatchObject({
      requestId: id,
      req: { id, method: 'GET', url: '/api/v1/things?access_token=[redacted]' },
      res: { statusCode: 200 },
    });
  });

  it('leaves probes unlogged and unbound', async () => {
    const before = lines.length;
    const res = await app.inject({ url: '/health/live' });
    expect(res.json()).toEqual({ bound: false });
    expect(lines.length).toBe(before);
  });
});
