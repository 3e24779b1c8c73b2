import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { redactUrl } from '../logging/redact-url';
import { isDependencyOutage, OUTAGE_RETRY_AFTER_SECONDS } from './dependency-outage';
import { ProblemException } from './problem';

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

const JSON_BODY_ERRORS = new Set(
  [errorCodes.FST_ERR_CTP_INVALID_JSON_BODY, errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY].map(
    (E) => new E().message,
  ),
);

interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** The one place errors become responses: RFC 9457 `application/problem+json`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, headers } = this.toProblem(exception);
    problem.instance = request.url?.split('?')[0];
    if (problem.code === 'invalid_input') {
      // A value the edge checks missed: answered as bad input, logged so the check gets added.
      this.logger.warn(
        { err: exception, requestId: request.id, url: redactUrl(request.url) },
        'Database refused a value',
      );
    }
    if (problem.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, url: redactUrl(request.url) },
        'Unhandled error',
      );
    }
    if (reply.sent) return;
    void reply
      .status(problem.status)
      .headers({ ...headers, 'content-type': 'application/problem+json; charset=utf-8' })
      .send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): { problem: ProblemDocument; headers: Record<string, string> } {
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      return {
        problem: {
          ...exception.problem.extensions,
          ...base(status, exception.code, exception.message),
          ...(exception.problem.errors ? { errors: exception.problem.errors } : {}),
        },
        headers: exception.problem.headers ?? {},
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? [body.message].flat().join('; ')
          : exception.message;
      const headers: Record<string, string> = {};
      const retryAfter = (exception as { retryAfter?: number }).retryAfter;
      if (retryAfter) headers['retry-after'] = String(retryAfter);
      // Nest rewraps Fastify's body-parser errors as a bare HttpException keeping only the message.
      const code = JSON_BODY_ERRORS.has(message) ? 'malformed_json' : (DEFAULT_CODES[status] ?? 'error');
      return { problem: base(status, code, message), headers };
    }
    // Errors raised by Fastify plugins (multipart limits…) carry a statusCode.
    const fastifyError = exception as { statusCode?: number; message?: string };
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
      const status = fastifyError.statusCode;
      return {
        problem: base(status, DEFAULT_CODES[status] ?? 'bad_request', fastifyError.message ?? ''),
        headers: {},
      };
    }
    // SQLSTATE class 22 (data exception): PostgreSQL refused a value the request carried.
    if (
      exception instanceof QueryFailedError &&
      /^22/.test(String((exception.driverError as { code?: unknown }).code))
    ) {
      return {
        problem: base(HttpStatus.BAD_REQUEST, 'invalid_input', 'A value in the request is not acceptable.'),
        headers: {},
      };
    }
    if (isDependencyOutage(exception)) {
      return {
        problem: base(
          HttpStatus.SERVICE_UNAVAILABLE,
          'service_unavailable',
          'A service Atelier depends on is unavailable; try again shortly.',
        ),
        headers: { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) },
      };
    }
    return {
      problem: base(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'An unexpected error occurred.'),
      headers: {},
    };
  }
}

function base(status: number, code: string, detail: string): ProblemDocument {
  return {
    type: `https://atelier.dev/problems/${code.replace(/_/g, '-')}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}
