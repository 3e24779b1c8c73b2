import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken } from '../auth/jwt-auth.guard';
import type { Env } from '../config';
import { ProblemException } from '../errors';

/**
 * /metrics sits on the API port, so it is not for anyone: with METRICS_TOKEN set the scraper sends
 * it as a bearer token; without one, production answers 404 (metrics off) and development and
 * tests stay open for a local Prometheus.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly expected?: Buffer;
  private readonly open: boolean;

  constructor(config: ConfigService<Env, true>) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.expected = token ? sha256(token) : undefined;
    this.open = !token && config.get('NODE_ENV', { infer: true }) !== 'production';
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.open) return true;
    if (!this.expected) throw ProblemException.notFound('not_found', 'Metrics are off: set METRICS_TOKEN.');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerToken(request.headers.authorization);
    if (token && timingSafeEqual(sha256(token), this.expected)) return true;
    throw new ProblemException(
      HttpStatus.UNAUTHORIZED,
      'metrics_token_required',
      'Send METRICS_TOKEN as a bearer token.',
      {
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      },
    );
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
