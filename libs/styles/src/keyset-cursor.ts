import { decodeCursor, ProblemException } from '@atelier/core';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Decodes a cursor whose tie-breaker is a style id. A tampered id would otherwise reach a uuid
 * comparison in SQL and fail there, so it is refused here as a bad cursor.
 */
export function decodeStyleCursor(cursor: string): { v: string; id: string } {
  const { v, id } = decodeCursor(cursor);
  if (!UUID.test(id)) throw ProblemException.invalidField('cursor', 'is not a cursor returned by this API');
  return { v: String(v), id };
}
