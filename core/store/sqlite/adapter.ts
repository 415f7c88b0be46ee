import Database from 'better-sqlite3';
import { AsyncResource } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BaseStore, TxState } from '../base';
import type { Tx } from '../port';
import type { SecretBox } from '../../secrets';
import { insertEvents } from '../repos/events';
import { bindValue, paramNames, TEXT_INDEXES, type Dialect, type Params, type Sql } from '../sql/executor';
import { likeMatches, likeSearch } from '../sql/page';
import { migrateSqlite } from './migrate';
import { textIndexCatchUp } from './text-index';
import { migrationsDir } from '../migrations';

export type Db = Database.Database;

const MIGRATIONS_DIR = migrationsDir('sqlite');

/** A text search matching at most this many rows lists them from their seqs (see textSearch). */
const FEW_MATCHES = 1_000;

/** `q` as one FTS5 phrase: every character literal. */
const ftsPhrase = (q: string): string => `"${q.replace(/"/g, '""')}"`;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  // One writer at a time (BEGIN IMMEDIATE): rows read in a write transaction cannot change under it.
  forUpdate: '',
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
  // The FTS5 trigram tables (migrations 006, 012, 020): `q` as one quoted phrase is exactly
  // "contains q", in any case. It cannot find fewer than three characters: those are read with LIKE.
  textSearch: async (sql, index, alias, q) => {
    if ([...q].length < 3) return likeSearch(index, alias, q);
    const fts = TEXT_INDEXES[index].fts;
    const params = { q: ftsPhrase(q) };
    // FTS5 reads a phrase of common trigrams newest first (rowid DESC) several times slower than
    // oldest first ("Order 1234…" at a million links: 2 ms against 0.4). So the matches are read
    // oldest first, up to FEW_MATCHES: when that is all of them, the list reads those rows by seq;
    // when there are more, they are dense enough for the newest-first read to fill a page soon.
    const matches = await sql.all<{ rowid: number }>(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH @q ORDER BY rowid LIMIT ${FEW_MATCHES + 1}`, params);
    if (matches.length <= FEW_MATCHES) {
      return { join: '', clause: `${alias}.seq IN (SELECT value FROM json_each(@matches))`, params: { matches: JSON.stringify(matches.map((m) => m.rowid)) }, seq: `${alias}.seq` };
    }
    return { join: `JOIN ${fts} ON ${fts}.rowid = ${alias}.seq`, clause: `${fts} MATCH @q`, params, seq: `${fts}.rowid` };
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

/** A transaction waiting for its turn on the one connection, in the async context that asked for it. */
interface Job {
  fn: (t: Tx) => Promise<unknown>;
  write: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  scope: AsyncResource;
}

/** A member of a group commit that has run and waits for the group's COMMIT. */
interface Done {
  job: Job;
  state: TxState;
  result: unknown;
}

const noLock = async (): Promise<void> => undefined;

/**
 * How many write transactions may share one COMMIT (one fsync). Enough to absorb a burst of
 * counters and API clients; small enough that a group's wait stays a few milliseconds.
 */
export const MAX_GROUP = 64;

/** Turns of the event loop waiting writes give others to join them: a few microseconds each. */
const MAX_TURNS = 4;

/** Reads that may go ahead of waiting writes before the writes run anyway. */
const MAX_READS_AHEAD = 256;

/**
 * The embedded store: one SQLite file, WAL (readers beside the writer), `synchronous=FULL`
 * (an acknowledged money change survives a power cut). better-sqlite3 is synchronous and the
 * connection is one, so transactions take turns: each runs alone, and a read never sees another
 * transaction's uncommitted rows.
 *
 * Group commit: the fsync at COMMIT is most of a write's cost, so the write transactions waiting
 * when the connection comes free run one after another inside ONE database transaction, each in
 * its own SAVEPOINT, and share its COMMIT. A member that fails is rolled back to its savepoint
 * alone; none is acknowledged (resolved, its events announced, its hooks run) before the COMMIT
 * is on disk, and if the COMMIT fails every member fails. Alone, a write is exactly one
 * transaction as before.
 */
export class SqliteStore extends BaseStore {
  readonly dialect = 'sqlite' as const;
  private readonly sql: SqliteSql;
  private readonly jobs: Job[] = [];
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private readonly indexNewText: () => void;
  /**
   * Rows this connection changed (any statement, the store's or not) and the data version of the
   * snapshot, which moves when another connection commits: equal stamps, unchanged data.
   */
  private readonly changeStamp: () => Promise<string>;

  constructor(
    readonly db: Db,
    secrets?: SecretBox,
  ) {
    super(secrets);
    this.sql = new SqliteSql(db);
    this.indexNewText = textIndexCatchUp(db);
    // Two plain statements: reading data_version through its table-valued function (one
    // statement) costs three times as much, and this runs before every read.
    const changes = db.prepare('SELECT total_changes()').pluck();
    const version = db.prepare('PRAGMA data_version').pluck();
    this.changeStamp = async () => `${changes.get() as number}:${version.get() as number}`;
  }

  protected runTx<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ fn, write, resolve: resolve as (value: unknown) => void, reject, scope: new AsyncResource('counterlink.tx') });
      this.kick();
    });
  }

  /** Starts working the queue unless it is being worked; restarts if a job slipped in at the end. */
  private kick(): void {
    if (this.busy) return;
    this.busy = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    void this.drain().finally(() => {
      this.busy = false;
      this.markIdle();
      if (this.jobs.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    let turns = 0;
    let reads = 0;
    while (this.jobs.length > 0) {
      const read = reads < MAX_READS_AHEAD ? this.jobs.findIndex((job) => !job.write) : -1;
      if (read >= 0) {
        // Reads go ahead of waiting writes. None of those writes is acknowledged yet, so a read
        // that does not see them still reads what was committed; the requests it serves then
        // reach their own writes, which join the group below.
        const job = this.jobs.splice(read, 1)[0]!;
        await this.runRead(job).catch((err: unknown) => job.reject(err));
        reads++;
        continue;
      }
      if (turns < MAX_TURNS && reads < MAX_READS_AHEAD) {
        // A turn of the event loop before the writes run: the requests that came in with them
        // get through their reads and queue their writes, to share this COMMIT (one fsync). The
        // fsync blocks the loop, so without this every request would commit alone. Once a turn
        // brings nothing new, the group goes.
        const waiting = this.jobs.length;
        await new Promise<void>((resolve) => setImmediate(resolve));
        turns = this.jobs.length === waiting ? MAX_TURNS : turns + 1;
        continue;
      }
      turns = 0;
      reads = 0;
      const group: Job[] = [];
      for (let i = 0; i < this.jobs.length && group.length < MAX_GROUP; ) {
        if (this.jobs[i]!.write) group.push(this.jobs.splice(i, 1)[0]!);
        else i++;
      }
      // A settled job ignores a second settle: whatever this group failed to finish fails.
      await this.runGroup(group).catch((err: unknown) => group.forEach((job) => job.reject(err)));
    }
  }

  private async runRead(job: Job): Promise<void> {
    const state = new TxState(this.secrets);
    const t = state.makeTx(this.sql, noLock, this.changeStamp);
    try {
      this.db.exec('BEGIN');
      const result = await job.scope.runInAsyncScope(() => job.fn(t));
      this.db.exec('COMMIT');
      job.resolve(result);
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      job.reject(err);
    } finally {
      job.scope.emitDestroy();
    }
  }

  private async runGroup(group: Job[]): Promise<void> {
    let done: Done[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const job of group) job.reject(err);
      return;
    }
    for (const job of group) {
      const state = new TxState(this.secrets);
      const t = state.makeTx(this.sql, noLock, this.changeStamp);
      try {
        if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
        this.db.exec('SAVEPOINT member');
        const result = await job.scope.runInAsyncScope(() => job.fn(t));
        if (state.queued.length > 0) await insertEvents(this.sql, state.queued);
        this.db.exec('RELEASE member');
        done.push({ job, state, result });
      } catch (err) {
        if (!this.undoMember()) {
          // The whole transaction is gone (SQLite gives it up on a full disk or an I/O error):
          // the members before this one were never committed either.
          for (const d of done) d.job.reject(err);
          done = [];
        }
        job.reject(err);
      }
    }
    try {
      if (this.db.inTransaction) {
        // The group's new links and payments go into the text indexes together (text-index.ts).
        if (done.length > 0) this.indexNewText();
        this.db.exec('COMMIT');
      }
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const d of done) d.job.reject(err);
      return;
    } finally {
      for (const job of group) job.scope.emitDestroy();
    }
    if (done.some((d) => d.state.queued.length > 0)) this.emitEventsCommitted();
    for (const d of done) {
      if (d.state.hooks.length > 0) setImmediate(() => d.state.runHooks());
      d.job.resolve(d.result);
    }
  }

  /** Undoes a failed member alone; false when the whole transaction had to go (or was gone). */
  private undoMember(): boolean {
    if (!this.db.inTransaction) return false;
    try {
      this.db.exec('ROLLBACK TO member');
      this.db.exec('RELEASE member');
      return true;
    } catch {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      return false;
    }
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    while (this.busy) await this.idle;
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
