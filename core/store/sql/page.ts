import { ValidationError } from '../../errors';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../types';
import { TEXT_INDEXES, type Params, type Sql, type TextIndex, type TextSearch } from './executor';

/**
 * How a list reads newest first: by an expression equal to the row's seq (`alias.seq`, or a text
 * index's rowid, which reads in order for free), or by a time column then seq (`key`), so a range
 * of that column is one walk down its index instead of a walk over every newer row.
 */
export interface ListOrder {
  seq: string;
  /** The time column (`expr`, e.g. `l.created_at`) and the field of the row that holds it. */
  key?: { expr: string; field: string };
}

/**
 * Builds `WHERE … AND <after the cursor> ORDER BY … DESC LIMIT n+1` and slices the page.
 * A keyed order's cursor carries the key too; a cursor of the other kind is refused.
 */
export async function pageOf<R extends { seq: number }, T>(
  sql: Sql,
  select: string,
  clauses: string[],
  params: Params,
  page: PageQuery,
  map: (r: R) => T,
  alias: string,
  order: ListOrder = { seq: `${alias}.seq` },
): Promise<Page<T>> {
  const where = [...clauses];
  const bound: Params = { ...params, limit: page.limit + 1 };
  if (page.cursor !== undefined) {
    const at = decodeCursor(page.cursor);
    if (at === undefined || (at.key === undefined) !== (order.key === undefined)) {
      throw ValidationError.field('cursor', 'is not a cursor this list gave out');
    }
    if (order.key === undefined) {
      where.push(`${order.seq} < @cursorSeq`);
    } else {
      // `key <= k` first: the part an index on the key can seek by, on either database.
      const key = order.key.expr;
      where.push(`${key} <= @cursorKey AND (${key} < @cursorKey OR ${order.seq} < @cursorSeq)`);
      bound.cursorKey = at.key!;
    }
    bound.cursorSeq = at.seq;
  }
  const orderBy = order.key === undefined ? `${order.seq} DESC` : `${order.key.expr} DESC, ${order.seq} DESC`;
  const text = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} LIMIT @limit`;
  const rows = await sql.all<R>(text, bound);
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  const last = slice[slice.length - 1];
  return {
    data: slice.map(map),
    nextCursor: more && last ? encodeCursor(order.key === undefined ? { seq: Number(last.seq) } : { seq: Number(last.seq), key: Number((last as Record<string, unknown>)[order.key.field]) }) : null,
  };
}

/** A LIKE pattern matching `q` anywhere, with LIKE's own wildcards escaped (use with ESCAPE '\'). */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * `q` anywhere in the columns of a text index, by LIKE: the portable form (and SQLite's for a `q`
 * too short for its trigram index). LOWER on both sides: SQLite's LIKE ignores ASCII case,
 * PostgreSQL's does not.
 */
/** `likeSearch` as a SELECT of the matching rows' `seq`. */
export function likeMatches(index: TextIndex, q: string): { select: string; params: Params } {
  const { clause, params } = likeSearch(index, 't', q);
  return { select: `SELECT t.seq FROM ${index} t WHERE ${clause}`, params };
}

export function likeSearch(index: TextIndex, alias: string, q: string): TextSearch {
  const columns = TEXT_INDEXES[index].columns.map((c) => `LOWER(${alias}.${c}) LIKE @q ESCAPE '\\'`);
  return { join: '', clause: `(${columns.join(' OR ')})`, params: { q: likePattern(q) }, seq: `${alias}.seq` };
}

/** JSON text or NULL for a nullable JSON column. */
export function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
