import { QueryFailedError } from 'typeorm';
import { isForeignKeyViolation, isUniqueViolation, pgErrorCode } from './pg-errors';

const failed = (driverError: Record<string, unknown>) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error('failed'), driverError));

describe('pg-errors', () => {
  const emailTaken = failed({ code: '23505', detail: 'Key (email)=(a@b.c) already exists.' });

  it('recognises a unique violation, optionally by the key PostgreSQL names', () => {
    expect(isUniqueViolation(emailTaken)).toBe(true);
    expect(isUniqueViolation(emailTaken, 'email')).toBe(true);
    expect(isUniqueViolation(emailTaken, 'username_key')).toBe(false);
  });

  it('tells other SQLSTATEs and other errors apart', () => {
    const missingParent = failed({ code: '23503' });
    expect(isForeignKeyViolation(missingParent)).toBe(true);
    expect(isUniqueViolation(missingParent)).toBe(false);
    expect(pgErrorCode(new Error('23505'))).toBeUndefined();
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(false);
  });
});
