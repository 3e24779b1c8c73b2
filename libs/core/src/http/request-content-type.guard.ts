import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../errors';

/** What a route takes when it does not say otherwise (`@ApiConsumes`). */
const DEFAULT_CONSUMES = ['application/json'];

/**
 * 415 for a request body in a media type the route does not take. The route's `@ApiConsumes`
 * (default JSON) is the rule, so the OpenAPI document and the server agree. Without this, Fastify
 * parses text/plain as a string and multipart into nothing, and the client gets a 400 about
 * missing fields, or a JSON body on the upload route a 400 about a missing file.
 */
@Injectable()
export class RequestContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!hasBody(request)) return true;
    const accepted =
      this.reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? DEFAULT_CONSUMES;
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (accepted.includes(mediaType)) return true;
    const given = mediaType || 'no content type';
    throw new ProblemException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'unsupported_media_type',
      `This route takes ${accepted.join(' or ')}, not ${given}.`,
      {
        errors: [{ field: 'content-type', message: `must be ${accepted.join(' or ')}` }],
        extensions: { accepted },
      },
    );
  }
}

/** RFC 9112 §6.3: a request has a body when it declares a length above zero or chunked framing. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}
