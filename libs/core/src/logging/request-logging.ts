import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { storage, Store } from 'nestjs-pino/storage';

/** Probe and scrape routes: no request logger at all, they would drown the useful lines. */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Request logging as one Fastify hook instead of nestjs-pino's middleware: the middleware needs
 * @fastify/middie in front of every request, and pino-http builds child loggers even for the
 * probes it is told not to log. Here quiet routes skip it by route pattern; every other request
 * gets pino-http's request logger, bound (as nestjs-pino does) so `Logger` calls made while
 * handling it carry its request id.
 */
export function registerRequestLogging(
  fastify: FastifyInstance,
  options: Options,
  destination?: DestinationStream,
): void {
  const httpLogger = destination ? pinoHttp(options, destination) : pinoHttp(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (QUIET_ROUTES.has(request.routeOptions.url ?? '')) return done();
    const raw = request.raw as typeof request.raw & { id?: string; allLogs?: Logger[] };
    raw.id = request.id;
    httpLogger(raw, reply.raw);
    storage.run(new Store(raw.allLogs!.at(-1)!), done);
  });
}
