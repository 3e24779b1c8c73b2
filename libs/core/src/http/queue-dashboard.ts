import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bull';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bull';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ALL_QUEUES } from '../queues';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Decides whether a request may see the dashboard (admin token or operator credentials). */
export type DashboardAuthorizer = (request: FastifyRequest) => Promise<boolean>;

/** Bull Board at /admin/queues, behind the given authorizer. */
export async function setupQueueDashboard(
  app: NestFastifyApplication,
  authorize: DashboardAuthorizer,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))),
    serverAdapter,
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (await authorize(request)) return;
        await reply
          .status(401)
          .header('www-authenticate', 'Basic realm="Atelier queues"')
          .header('content-type', 'application/problem+json; charset=utf-8')
          .send(
            JSON.stringify({
              type: 'https://atelier.dev/problems/unauthenticated',
              title: 'Unauthorized',
              status: 401,
              detail: 'The queue dashboard is for operators.',
              code: 'unauthenticated',
            }),
          );
      });
      await scope.register(serverAdapter.registerPlugin() as never);
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}
