import { ApiProperty, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

export class LiveResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

const LIVE_PATH = '/health/live';
const LIVE = JSON.stringify({ status: 'ok' } satisfies LiveResponse);

/**
 * The process is up; says nothing about its dependencies. Orchestrators poll it every few seconds
 * and its answer never changes, so Fastify answers it directly, without Nest's guards, pipes and
 * interceptors; the app's onRequest hooks still give it the security headers and request id that
 * every answer carries.
 */
export function registerLiveness(fastify: FastifyInstance): void {
  fastify.get(LIVE_PATH, (_request, reply) => {
    void reply.type('application/json; charset=utf-8').send(LIVE);
  });
}

/** Documents the liveness route as Nest documents a controller's (its operation id kept stable). */
export function documentLiveness(document: OpenAPIObject): void {
  document.paths[LIVE_PATH] = {
    get: {
      operationId: 'HealthController_live',
      parameters: [],
      responses: {
        200: {
          description: '',
          content: { 'application/json': { schema: { $ref: getSchemaPath(LiveResponse) } } },
        },
      },
      tags: ['health'],
    },
  };
}
