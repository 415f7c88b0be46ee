import { ValidationError } from '../../errors';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../types';
import type { Params, Sql } from './executor';

/** Builds `WHERE … AND seq < @cursorSeq ORDER BY seq DESC LIMIT n+1` and slices the page. */
export async function pageOf<R extends { seq: number }, T>(
  sql: Sql,
  select: string,
  clauses: string[],
  params: Params,
  page: PageQuery,
  map: (r: R) => T,
  alias: string,
): Promise<Page<T>> {
  const where = [...clauses];
  const bound: Params = { ...params, limit: page.limit + 1 };
  if (page.cursor !== undefined) {
    const seq = decodeCursor(page.cursor);
    if (seq === undefined) throw ValidationError.field('cursor', 'is not a cursor this list gave out');
    where.push(`${alias}.seq < @cursorSeq`);
    bound.cursorSeq = seq;
  }
  const text = `${select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${alias}.seq DESC LIMIT @limit`;
  const rows = await sql.all<R>(text, bound);
  const more = rows.length > page.limit;
  const slice = more ? rows.slice(0, page.limit) : rows;
  return { data: slice.map(map), nextCursor: more ? encodeCursor(slice[slice.length - 1]!.seq) : null };
}

/** A LIKE pattern matching `q` anywhere, with LIKE's own wildcards escaped (use with ESCAPE '\'). */
export function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** JSON text or NULL for a nullable JSON column. */
export function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
