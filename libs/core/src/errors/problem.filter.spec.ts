import { type ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemFilter } from './problem.filter';

/** Runs the filter over one error and returns what it answered. */
function answer(exception: unknown): {
  status: number;
  headers: Record<string, string>;
  body: { code: string };
} {
  const sent = { status: 0, headers: {} as Record<string, string>, body: '' };
  const reply = {
    sent: false,
    status: (status: number) => ((sent.status = status), reply),
    headers: (headers: Record<string, string>) => ((sent.headers = headers), reply),
    send: (body: string) => ((sent.body = body), reply),
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ url: '/api/v1/x', id: 'r1' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return { ...sent, body: JSON.parse(sent.body) as { code: string } };
}

const queryFailed = (code: string) =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error('refused'), { code }));

describe('ProblemFilter', () => {
  // The filter logs what it maps; the answers are what is under test.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('answers a value PostgreSQL refused (SQLSTATE class 22) as 400 invalid_input', () => {
    for (const code of ['22P02', '22021', '22008', '22003']) {
      expect(answer(queryFailed(code))).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    }
  });

  it('answers an unreachable database or Redis as 503 with Retry-After', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (const error of [queryFailed('57P01'), refused, new Error('Connection is closed.')]) {
      const res = answer(error);
      expect(res).toMatchObject({ status: 503, body: { code: 'service_unavailable' } });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('keeps any other failure a 500', () => {
    expect(answer(queryFailed('42P01')).status).toBe(500);
    expect(answer(new TypeError('bug')).status).toBe(500);
  });
});
