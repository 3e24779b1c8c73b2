import { CursorSort, decodeCursor } from '@atelier/core';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes a cursor whose tie-breaker is a style id (checked a uuid by `decodeCursor`). */
export function decodeStyleCursor(cursor: string, sort: CursorSort): { v: string; id: string } {
  const { v, id } = decodeCursor(cursor, sort);
  return { v: String(v), id };
}
