import { RequestMethod, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import multipart from '@fastify/multipart';
import { randomUUID } from 'node:crypto';
import { AppConfig, ConfigService } from '../config';
import { ProblemFilter, createValidationPipe } from '../errors';
import { registerLiveness } from '../health/liveness';
import { AppLogger } from '../logging/app-logger';
import { httpLoggerOptions, prettyLogs } from '../logging/http-logger-options';
import { registerRequestLogging } from '../logging/request-logging';
import { MetricsService } from '../metrics';
import { CorsIoAdapter, httpCorsOptions } from './cors';
import { API_PREFIX } from './api-prefix';
import { serializeResponsesFrom } from './openapi';
import { registerInputGuard } from './input-guard';
import { setupSwagger } from './operator-docs';
import { RequestContentTypeGuard } from './request-content-type.guard';
import { transportSecurityHeaders } from './security-headers';

export { API_PREFIX };
const REQUEST_ID = /^[\w-]{1,128}$/;

/**
 * Builds the HTTP application around a root module: Fastify, /api/v1, validation, problem+json
 * errors, helmet, CORS, request ids, metrics and Swagger. Used by `main.ts` and by the e2e tests,
 * so tests run exactly what production runs.
 */
export async function createHttpApp(
  rootModule: Type | object,
  options: { trustProxy: boolean },
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Only behind a proxy may X-Forwarded-For name the client (per-IP rate limits depend on it).
    trustProxy: options.trustProxy,
    bodyLimit: 1024 * 1024,
    // No Nest middleware (request logging is a Fastify hook): without this, @fastify/middie still
    // runs on every request. A Nest middleware added later fails at startup until this goes.
    skipMiddie: true,
    // Honour a sane incoming X-Request-Id (from a proxy), else mint one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type, adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Webhook signatures (Fief) are computed over the exact bytes received: keep `request.rawBody`.
    rawBody: true,
  });
  app.useLogger(app.get(AppLogger));
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(ConfigService);

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  // Hooks are callback-style, not async (an async hook costs a promise per request), and there is
  // no onSend hook: headers are set up front, so every answer (errors included) carries them.
  const headers = transportSecurityHeaders({
    // Swagger UI needs inline scripts and styles; the API itself serves JSON only.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // request.protocol honours X-Forwarded-Proto when TRUST_PROXY is set.
    reply.headers(request.protocol === 'https' ? headers.https : headers.http);
    reply.header('x-request-id', request.id);
    done();
  });
  registerRequestLogging(
    fastify,
    httpLoggerOptions(
      config.get('LOG_LEVEL', { infer: true }),
      prettyLogs(config.get('NODE_ENV', { infer: true })),
    ),
  );
  registerInputGuard(fastify);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  // A body in a media type no parser knows (XML, merge-patch…) is left unread, so that
  // RequestContentTypeGuard answers its 415 naming what the route takes, as for any other type.
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  await app.register(multipart, {
    limits: { fileSize: config.get('MAX_UPLOAD_BYTES', { infer: true }), files: 2, fields: 50 },
  });
  const origins = config.get('CORS_ORIGINS', { infer: true });
  app.enableCors(httpCorsOptions(origins));
  app.useWebSocketAdapter(new CorsIoAdapter(app, origins));

  registerLiveness(fastify);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalGuards(new RequestContentTypeGuard(app.get(Reflector)));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  serializeResponsesFrom(fastify, setupSwagger(app));
  return app;
}
