import Fastify from 'fastify';
import { startTestApp } from '../../test/support/test-app';
import { assertAllOk, load } from '../support/load';
import { Scenario } from '../support/report';

/**
 * GET /health/live on Atelier (Nest on Fastify with helmet, request ids, logging, metrics) against
 * a bare Fastify server with the same route, in the same process, measured one after the other.
 */
export const httpScenario: Scenario = {
  name: 'http',
  description: 'GET /health/live: Atelier vs bare Fastify',
  async run(size) {
    const seconds = size === 'full' ? 10 : 1;
    const connections = size === 'full' ? 50 : 4;
    const warmupSeconds = size === 'full' ? 3 : 0;

    const bare = Fastify({ logger: false });
    bare.get('/health/live', async () => ({ status: 'ok' }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/health/live`;

    const t = await startTestApp({ LOG_LEVEL: 'info', FEATURES: 'images' });
    try {
      const baseline = await load({ url: bareUrl, connections, seconds, warmupSeconds });
      const atelier = await load({ url: `${t.url}/health/live`, connections, seconds, warmupSeconds });
      assertAllOk('bare', baseline);
      assertAllOk('atelier', atelier);
      return [
        {
          scenario: 'http',
          metric: 'req/s',
          atelier: atelier.rps,
          baseline: baseline.rps,
          target: { op: '>=', value: 0.8, on: 'ratio' },
        },
        { scenario: 'http', metric: 'p99', unit: 'ms', atelier: atelier.p99, baseline: baseline.p99 },
      ];
    } finally {
      await t.close();
      await bare.close();
    }
  },
};
