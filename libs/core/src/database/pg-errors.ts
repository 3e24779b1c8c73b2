import { QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATEs that services turn into client answers. */
export const PgErrorCode = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
} as const;

/** The SQLSTATE of a failed query (TypeORM keeps the driver's error in `driverError`), if any. */
export function pgErrorCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A unique-index violation; with `key`, only one whose key names those columns, as PostgreSQL
 * spells them in the detail (`Key (email)=(…) already exists.` → `'email'`).
 */
export function isUniqueViolation(error: unknown, key?: string): boolean {
  if (pgErrorCode(error) !== PgErrorCode.UniqueViolation) return false;
  if (key === undefined) return true;
  const detail = ((error as QueryFailedError).driverError as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail.includes(`(${key})`);
}

/** A foreign-key violation: the row references one that does not exist, or is still referenced. */
export function isForeignKeyViolation(error: unknown): boolean {
  return pgErrorCode(error) === PgErrorCode.ForeignKeyViolation;
}
