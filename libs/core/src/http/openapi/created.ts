import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpCode,
  Injectable,
  NestInterceptor,
  SetMetadata,
  type Type,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { API_PREFIX } from '../api-prefix';

const LOCATION_TEMPLATE = 'atelier:location';

/**
 * A creation: answers `status` (201, or 202 when work was queued) with `Location` naming the new
 * resource. `location` is its path under /api/v1; each `:name` in it stands for that member of
 * the returned body (`jobs/:id`, `styles/:styleId/examples/:id`).
 */
export function Created(location: string, options: { status?: 201 | 202; type: Type }) {
  const status = options.status ?? 201;
  return applyDecorators(
    HttpCode(status),
    SetMetadata(LOCATION_TEMPLATE, location),
    // On these routes only: a route without interceptors skips Nest's interceptor chain (an
    // async_hooks bind and an Observable per request).
    UseInterceptors(LocationInterceptor),
    ApiResponse({
      status,
      type: options.type,
      description: status === 201 ? 'Created' : 'Accepted',
      headers: {
        Location: { description: `/api/v1/${location}`, schema: { type: 'string', format: 'uri-reference' } },
      },
    }),
  );
}

/** Sets `Location` on the routes marked @Created, from the `id` of the body they return. */
@Injectable()
export class LocationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const template = this.reflector.get<string | undefined>(LOCATION_TEMPLATE, context.getHandler());
    if (!template) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const path = template.replace(/:(\w+)/g, (_, name: string) => {
          const value: unknown =
            typeof body === 'object' && body !== null ? Reflect.get(body, name) : undefined;
          return typeof value === 'string' ? encodeURIComponent(value) : '';
        });
        if (!path.includes('//') && !path.endsWith('/'))
          void reply.header('location', `/${API_PREFIX}/${path}`);
        return body;
      }),
    );
  }
}
