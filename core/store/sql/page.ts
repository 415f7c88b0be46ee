import { ValidationError } from '../../errors';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../types';
import { TEXT_INDEXES, type Params, type Sql, type TextIndex, type TextSearch } from './executor';

/**
 * Builds `WHERE … AND seq < @cursorSeq ORDER BY seq DESC LIMIT n+1` and slices the page.
 * `orderBy`: an expression equal to `${alias}.seq` that reads in order for free (a text index's rowid).
 */
export async function pageOf<R extends { seq: number }, T>(
  sql: Sql,
  select: string,
  clauses: string[],
  params: Params,
  page: PageQuery,
  map: (r: R) => T,
  alias: string,
  orderBy = `${alias}.seq`,
): Promise<Page<T>> {
  const where = [...clauses];
  const bound: Params = { ...params, limit: page.limit + 1 };
  if (page.cursor !== undefined) {
    const seq = decodeCursor(page.cursor);
    if (seq === undefined) throw ValidationError.field('cursor', 'is not a cursor this list gave out');
    where.push(`${orderBy} < @cursorSeq`);
    bound.cursorSeq = seq;
  }
  const text = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy} DESC LIMIT @limit`;
  const rows = await sql.all<R>(text, bound);
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  return { data: slice.map(map), nextCursor: more ? encodeCursor(slice[slice.length - 1]!.seq) : null };
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
