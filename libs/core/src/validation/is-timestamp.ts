import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDate, MaxDate, MinDate } from 'class-validator';

/** Years 1–9999: what ISO 8601 writes with four digits, and well inside PostgreSQL's range. */
export const EARLIEST_TIMESTAMP = new Date('0001-01-01T00:00:00.000Z');
export const LATEST_TIMESTAMP = new Date('9999-12-31T23:59:59.999Z');

/**
 * A date-time field: converted to a Date and refused (400 naming the field) when invalid or out
 * of range. Year 10000 or -1 passed `IsDate` and reached the database, which answered 500.
 */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(
    Type(() => Date),
    IsDate({ message: ({ property }) => `${property} must be an ISO 8601 date-time` }),
    MinDate(EARLIEST_TIMESTAMP, { message: ({ property }) => `${property} must be in the years 1 to 9999` }),
    MaxDate(LATEST_TIMESTAMP, { message: ({ property }) => `${property} must be in the years 1 to 9999` }),
  );
}
