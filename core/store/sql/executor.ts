/**
 * The one seam between the repositories and a database driver. Repositories write portable SQL
 * with named parameters (`@name`); each adapter binds them its own way (better-sqlite3 natively,
 * `pg` as `$1…$n`). What differs between the dialects is asked of `Dialect`, never tested by name
 * in a repository.
 */
/** Uint8Array: a BLOB (SQLite) or bytea (PostgreSQL). */
export type Param = string | number | boolean | Uint8Array | null | undefined;
export type Params = Record<string, Param>;

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Appended to a SELECT that reads rows it is about to change (a no-op where the transaction already serialises). */
  readonly forUpdate: string;
  /** The text value of `key` in the JSON object stored in `column`. */
  jsonText(column: string, key: string): string;
  /**
   * How a list (its table aliased `alias`) keeps the rows where `q` occurs, in any case, anywhere in
   * the columns of `index` (TEXT_INDEXES) — through the dialect's text index (SQLite: an FTS5
   * trigram table; PostgreSQL: pg_trgm indexes on LOWER(column)). It may read the index first,
   * through `sql`, the list's own transaction.
   */
  textSearch(sql: Sql, index: TextIndex, alias: string, q: string): Promise<TextSearch>;
  /** The same as a SELECT of the matching rows' `seq`: to combine (UNION) with other ways to match. */
  textMatches(index: TextIndex, q: string): { select: string; params: Params };
}

/** The text indexes: which columns `q` searches, and the SQLite FTS5 table that indexes them (migrations 006, 012). */
export const TEXT_INDEXES = {
  links: { fts: 'links_search', columns: ['name', 'description', 'ref_id_base'] },
  payments: { fts: 'payments_search', columns: ['ref_id', 'reference', 'payer_name', 'payer_email'] },
} as const;
export type TextIndex = keyof typeof TEXT_INDEXES;

/** A text search as a list query takes it. */
export interface TextSearch {
  /** Added to the FROM clause (`JOIN …`), or ''. */
  join: string;
  /** The condition, with the parameters it binds. */
  clause: string;
  params: Params;
  /** An expression equal to the list's `seq` that the search reads in order: the list orders and pages by it. */
  seq: string;
}

export interface Sql {
  readonly dialect: Dialect;
  all<R>(sql: string, params?: Params): Promise<R[]>;
  get<R>(sql: string, params?: Params): Promise<R | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
}

const PARAM = /@([A-Za-z_][A-Za-z0-9_]*)/g;

/** The parameter names a statement uses, in order of first appearance. */
export function paramNames(sql: string): string[] {
  const names: string[] = [];
  for (const m of sql.matchAll(PARAM)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

/** A bound value: booleans are stored as 0/1 in both dialects, undefined as NULL. */
export function bindValue(v: Param): string | number | Uint8Array | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** `@name` -> `$n` for drivers with numbered placeholders; the same name reuses its number. */
export function toNumbered(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(PARAM, (_m, name: string) => {
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, names };
}
