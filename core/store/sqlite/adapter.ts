import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BaseStore, TxState } from '../base';
import type { Tx } from '../port';
import type { SecretBox } from '../../secrets';
import { insertEvents } from '../repos/events';
import { bindValue, paramNames, TEXT_INDEXES, type Dialect, type Params, type Sql } from '../sql/executor';
import { likeMatches, likeSearch } from '../sql/page';
import { migrateSqlite } from './migrate';
import { migrationsDir } from '../migrations';

export type Db = Database.Database;

const MIGRATIONS_DIR = migrationsDir('sqlite');

/** `q` as one FTS5 phrase: every character literal. */
const ftsPhrase = (q: string): string => `"${q.replace(/"/g, '""')}"`;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  // One writer at a time (BEGIN IMMEDIATE): rows read in a write transaction cannot change under it.
  forUpdate: '',
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
  // The FTS5 trigram tables (migrations 006, 012): `q` as one quoted phrase is exactly "contains
  // q", in any case, and a table hands its rows out newest first. It cannot find fewer than three
  // characters: those are read with LIKE.
  textSearch: (index, alias, q) => {
    if ([...q].length < 3) return likeSearch(index, alias, q);
    const fts = TEXT_INDEXES[index].fts;
    return { join: `JOIN ${fts} ON ${fts}.rowid = ${alias}.seq`, clause: `${fts} MATCH @q`, params: { q: ftsPhrase(q) }, seq: `${fts}.rowid` };
  },
  textMatches: (index, q) => {
    if ([...q].length < 3) return likeMatches(index, q);
    const fts = TEXT_INDEXES[index].fts;
    return { select: `SELECT rowid FROM ${fts} WHERE ${fts} MATCH @q`, params: { q: ftsPhrase(q) } };
  },
};

interface Prepared {
  statement: Database.Statement;
  names: string[];
}

/**
 * SQL over one better-sqlite3 connection. Statements are compiled once per text (compiling is
 * most of a small query's cost, and the repositories' texts are a fixed set).
 */
class SqliteSql implements Sql {
  readonly dialect = sqliteDialect;
  private readonly cache = new Map<string, Prepared>();

  constructor(private readonly db: Db) {}

  prepare(text: string): Prepared {
    let p = this.cache.get(text);
    if (!p) {
      p = { statement: this.db.prepare(text), names: paramNames(text) };
      this.cache.set(text, p);
    }
    return p;
  }

  private bind(p: Prepared, params: Params | undefined): Record<string, unknown> {
    const bound: Record<string, unknown> = {};
    for (const name of p.names) {
      if (params === undefined || !(name in params)) throw new Error(`SQL parameter @${name} is not bound`);
      bound[name] = bindValue(params[name]);
    }
    return bound;
  }

  async all<R>(text: string, params?: Params): Promise<R[]> {
    const p = this.prepare(text);
    return (p.names.length ? p.statement.all(this.bind(p, params)) : p.statement.all()) as R[];
  }

  async get<R>(text: string, params?: Params): Promise<R | undefined> {
    const p = this.prepare(text);
    return (p.names.length ? p.statement.get(this.bind(p, params)) : p.statement.get()) as R | undefined;
  }

  async run(text: string, params?: Params): Promise<number> {
    const p = this.prepare(text);
    return (p.names.length ? p.statement.run(this.bind(p, params)) : p.statement.run()).changes;
  }
}

/**
 * The embedded store: one SQLite file, WAL (readers beside the writer), `synchronous=FULL`
 * (an acknowledged money change survives a power cut). better-sqlite3 is synchronous and the
 * connection is one, so transactions take turns through a queue: each runs alone from BEGIN
 * to COMMIT, and a read never sees another transaction's uncommitted rows.
 */
export class SqliteStore extends BaseStore {
  readonly dialect = 'sqlite' as const;
  private readonly sql: SqliteSql;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly db: Db,
    secrets?: SecretBox,
  ) {
    super(secrets);
    this.sql = new SqliteSql(db);
  }

  protected runTx<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T> {
    const turn = this.queue.then(() => this.runAlone(fn, write));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runAlone<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T> {
    const state = new TxState(this.secrets);
    const t = state.makeTx(this.sql, async () => undefined);
    this.db.exec(write ? 'BEGIN IMMEDIATE' : 'BEGIN');
    let result: T;
    try {
      result = await fn(t);
      if (state.queued.length > 0) await insertEvents(this.sql, state.queued);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    if (state.queued.length > 0) this.emitEventsCommitted();
    if (state.hooks.length > 0) setImmediate(() => state.runHooks());
    return result;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.db.open) this.db.close();
  }
}

export interface SqliteOptions {
  /** A file path, or ':memory:' for throwaway databases in unit tests. */
  file: string;
  migrationsDir?: string;
  /** Seals stored secrets (core/secrets.ts). */
  secrets?: SecretBox | undefined;
}

/** The one place a SQLite handle is made. */
export function openSqlite({ file, migrationsDir = MIGRATIONS_DIR, secrets }: SqliteOptions): SqliteStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db, migrationsDir);
  return new SqliteStore(db, secrets);
}
