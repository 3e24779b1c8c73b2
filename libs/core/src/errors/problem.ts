import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemOptions {
  errors?: FieldError[];
  /** Extra members of the problem document (e.g. `limit`, `resetsAt` for quotas). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** `field: message; …` — a validation detail whose messages do not name their field themselves. */
export function namedFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}

/**
 * An error meant for the client, rendered as RFC 9457 problem details by ProblemFilter.
 * `code` is the stable machine-readable reason (`image_not_found`, `quota_exceeded`…).
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    detail: string,
    readonly problem: ProblemOptions = {},
  ) {
    super(detail, status);
  }

  static badRequest(code: string, detail: string, errors?: FieldError[]) {
    return new ProblemException(HttpStatus.BAD_REQUEST, code, detail, { errors });
  }
  /**
   * The `validation_failed` 400 the validation pipe sends: one `errors[]` entry per field problem,
   * and a `detail` joining the messages (or `namedFieldErrors(errors)` when they do not name the field).
   */
  static validationFailed(errors: FieldError[], detail = errors.map((e) => e.message).join('; ')) {
    return ProblemException.badRequest('validation_failed', detail, errors);
  }
  static invalidField(field: string, message: string) {
    const errors = [{ field, message }];
    return ProblemException.validationFailed(errors, namedFieldErrors(errors));
  }
  static unauthorized(code: string, detail: string) {
    return new ProblemException(HttpStatus.UNAUTHORIZED, code, detail);
  }
  static forbidden(code: string, detail: string) {
    return new ProblemException(HttpStatus.FORBIDDEN, code, detail);
  }
  static notFound(code: string, detail: string) {
    return new ProblemException(HttpStatus.NOT_FOUND, code, detail);
  }
  static conflict(code: string, detail: string, extensions?: Record<string, unknown>) {
    return new ProblemException(HttpStatus.CONFLICT, code, detail, { extensions });
  }
}
