import { measuredLoad } from '../support/load';
import { Scenario } from '../support/report';
import { CORES, stackPids, startBaseline, startBenchStack } from '../support/stack';
import { interleave } from '../support/stats';

/**
 * GET /health/live on the built api (Nest on Fastify with helmet, request ids, info logging,
 * metrics; API_WORKERS processes) against bare Fastify with the same route and as many processes.
 */
export const httpScenario: Scenario = {
  name: 'http',
  description: 'GET /health/live: the built api vs bare Fastify',
  async prepare({ size }) {
    const options = {
      seconds: size === 'full' ? 10 : 2,
      connections: size === 'full' ? 50 : 4,
      warmupSeconds: size === 'full' ? 3 : 0.5,
    };
    const stack = await startBenchStack();
    const bare = await startBaseline('bare-server.js', { WORKERS: String(CORES) }).catch(async (error) => {
      await stack.stop();
      throw error;
    });
    return {
      async round(index) {
        const [atelier, baseline] = await interleave(
          index,
          () => measuredLoad('atelier', { ...options, url: `${stack.url}/health/live` }, stackPids(stack)),
          () => measuredLoad('bare', { ...options, url: `${bare.url}/health/live` }, [bare.process.pid]),
        );
        return [
          {
            scenario: 'http',
            metric: 'req/s',
            atelier: atelier.rps,
            baseline: baseline.rps,
            target: { op: '>=', value: 0.8, on: 'ratio' },
            note: `${options.connections} connections, ${options.seconds} s; api and bare Fastify: ${CORES} processes each`,
          },
          { scenario: 'http', metric: 'p99', unit: 'ms', atelier: atelier.p99, baseline: baseline.p99 },
          {
            scenario: 'http',
            metric: 'CPU per request',
            unit: 'ms',
            atelier: atelier.cpuPerRequest,
            baseline: baseline.cpuPerRequest,
            note: 'utime+stime from /proc over the measured window: api tree + worker vs the bare server tree',
          },
        ];
      },
      async close() {
        await Promise.all([stack.stop(), bare.stop()]);
      },
    };
  },
};
