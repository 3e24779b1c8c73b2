import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  AppConfig,
  bearerToken,
  ConfigService,
  createHttpApp,
  Env,
  JwtAuthGuard,
  setupQueueDashboard,
} from '@atelier/core';
import { ApiModule } from './api.module';

/** The api application, fully configured but not listening (main.ts and the e2e tests share it). */
export async function createApiApp(env: Env): Promise<NestFastifyApplication> {
  const app = await createHttpApp(ApiModule.forRoot(env), { trustProxy: env.TRUST_PROXY });
  const config = app.get<AppConfig>(ConfigService);
  const jwt = app.get(JwtAuthGuard);
  // Admins use their bearer token; operators without an account use basic-auth credentials.
  await setupQueueDashboard(app, async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (token) return (await jwt.verify(token).catch(() => undefined))?.role === 'admin';
    const password = config.get('QUEUE_DASHBOARD_PASSWORD', { infer: true });
    const match = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    if (!password || !match) return false;
    const expected = `${config.get('QUEUE_DASHBOARD_USER', { infer: true })}:${password}`;
    return timingSafeEqual(sha256(Buffer.from(match[1], 'base64').toString('utf8')), sha256(expected));
  });
  return app;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
