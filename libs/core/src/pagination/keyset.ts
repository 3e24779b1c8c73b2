import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ProblemException } from '../errors';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface KeysetPosition {
  /** The sort value of the last row seen (a timestamp as ISO string, or a number). */
  v: string | number;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** What a cursor's sort value must be: it reaches SQL as a parameter typed by its column. */
export type CursorSort = 'timestamp' | 'integer' | 'text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const SORT_VALUE_CHECKS: Record<CursorSort, (v: unknown) => boolean> = {
  timestamp: (v) => typeof v === 'string' && ISO_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)),
  integer: (v) => Number.isSafeInteger(v),
  text: (v) => typeof v === 'string' && !v.includes('\u0000'),
};

/**
 * Decodes a cursor and checks it could have come from this API: every primary key is a uuid and
 * the sort value has its column's type. A forged one is refused here as a 400 naming `cursor`;
 * left to SQL it failed the query with a 500.
 */
export function decodeCursor(cursor: string, sort: CursorSort = 'timestamp'): KeysetPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<KeysetPosition>;
    if (typeof parsed?.id === 'string' && UUID.test(parsed.id) && SORT_VALUE_CHECKS[sort](parsed.v)) {
      return parsed as KeysetPosition;
    }
  } catch {
    // fall through to the problem below
  }
  throw ProblemException.invalidField('cursor', 'is not a cursor returned by this API');
}

interface KeysetOptions {
  sortColumn: string;
  idColumn: string;
  limit: number;
  cursor?: string;
  /** The type of `sortColumn` (default `timestamp`), checked in incoming cursors. */
  sortType?: CursorSort;
  /** `DESC` (default): newest or largest first; `ASC` for A→Z lists. */
  order?: 'ASC' | 'DESC';
}

/**
 * Keyset pagination, newest first: `WHERE (sortColumn, id) < (:v, :id) ORDER BY sortColumn DESC,
 * id DESC LIMIT n+1` (or `>` and ASC with `order: 'ASC'`). Needs an index on (…filters,
 * sortColumn, id) in that order to stay fast at any depth, unlike OFFSET.
 */
export async function keysetPage<E extends ObjectLiteral, T>(
  qb: SelectQueryBuilder<E>,
  options: KeysetOptions & {
    /** The row's sort value, for `integer` and `text` sorts (timestamps are read from SQL). */
    sortValue?: (row: E) => string | number;
    /** The row's value of `idColumn`, when it is not `row.id` (a composite key's other half). */
    rowId?: (row: E) => string;
    /** `raw`: the row as selected, `addSelect` extras included (queries without joins only). */
    map: (row: E, raw: Record<string, unknown>) => T;
  },
): Promise<Page<T>> {
  const sortType = options.sortType ?? 'timestamp';
  const rowId = options.rowId ?? ((row: E) => String(row.id));
  // Without joins there is one raw row per entity, in the same order (getMany builds the same).
  const { entities: rows, raw } = await keysetQuery(qb, options).getRawAndEntities();
  const hasMore = rows.length > options.limit;
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((row, index) => options.map(row, raw[index] as Record<string, unknown>)),
    nextCursor: hasMore && last ? encodeCursor({ v: sortValueOf(last), id: rowId(last) }) : null,
  };

  function sortValueOf(row: E): string | number {
    if (sortType !== 'timestamp') {
      if (!options.sortValue) throw new Error(`keysetPage: a ${sortType} sort needs sortValue`);
      return options.sortValue(row);
    }
    // With joins there are several raw rows per entity; any of the row's own carries its value.
    // (TypeORM names a raw column `alias_column`, so `i.id` is read as `i_id`.)
    const idKey = options.idColumn.replace('.', '_');
    const own = (raw as Record<string, unknown>[]).find((r) => r[idKey] === rowId(row));
    const precise = own?.[PRECISE_SORT_VALUE];
    if (typeof precise !== 'string') throw new Error(`keysetPage: no ${PRECISE_SORT_VALUE} for ${qb.alias}`);
    return precise;
  }
}

/**
 * keysetPage for lists that select only the columns they show (`qb.select(...)`): rows stay the
 * driver's plain objects, no entity is built. The cursor's sort value and id are selected beside
 * them, so `map` sees exactly the columns the query names.
 */
export async function keysetRawPage<T>(
  qb: SelectQueryBuilder<ObjectLiteral>,
  options: KeysetOptions & { map: (row: Record<string, unknown>) => T },
): Promise<Page<T>> {
  if ((options.sortType ?? 'timestamp') !== 'timestamp') qb.addSelect(options.sortColumn, PRECISE_SORT_VALUE);
  const rows: Record<string, unknown>[] = await keysetQuery(
    qb.addSelect(options.idColumn, KEYSET_ID),
    options,
  ).getRawMany();
  const hasMore = rows.length > options.limit;
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(options.map),
    nextCursor:
      hasMore && last
        ? encodeCursor({ v: last[PRECISE_SORT_VALUE] as string | number, id: String(last[KEYSET_ID]) })
        : null,
  };
}

/** The keyset's select (a timestamp as text, to the microsecond), cursor condition, order and limit. */
function keysetQuery<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  options: KeysetOptions,
): SelectQueryBuilder<E> {
  const sortType = options.sortType ?? 'timestamp';
  // PostgreSQL keeps microseconds, a JS Date milliseconds: a cursor built from the entity would
  // skip rows created later in the same millisecond, so timestamps are read as text from SQL.
  if (sortType === 'timestamp') {
    qb.addSelect(`to_char(${options.sortColumn} AT TIME ZONE 'UTC', '${ISO_MICROS}')`, PRECISE_SORT_VALUE);
  }
  const order = options.order ?? 'DESC';
  if (options.cursor) {
    const { v, id } = decodeCursor(options.cursor, sortType);
    const after = order === 'DESC' ? '<' : '>';
    qb.andWhere(`(${options.sortColumn}, ${options.idColumn}) ${after} (:keysetValue, :keysetId)`, {
      keysetValue: v,
      keysetId: id,
    });
  }
  return qb
    .orderBy(options.sortColumn, order)
    .addOrderBy(options.idColumn, order)
    .take(undefined)
    .limit(options.limit + 1);
}

const PRECISE_SORT_VALUE = 'keyset_sort_value';
const KEYSET_ID = 'keyset_id';
const ISO_MICROS = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';
