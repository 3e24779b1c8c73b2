import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem';

/**
 * Looks up a resource a request refers to by id. Its 404 (missing, or someone else's: the same
 * answer) gains the request field that named it, so a client sending several ids knows which one.
 */
export async function referencedBy<T>(field: string, lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (!(error instanceof ProblemException) || error.getStatus() !== HttpStatus.NOT_FOUND) throw error;
    throw new ProblemException(HttpStatus.NOT_FOUND, error.code, error.message, {
      ...error.problem,
      errors: [{ field, message: 'not found' }],
    });
  }
}
