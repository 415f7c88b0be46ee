import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreUnavailableError } from '../../errors';
import { BaseStore, TxState } from '../base';
import type { Tx } from '../port';
import type { SecretBox } from '../../secrets';
import { insertEvents } from '../repos/events';
import { bindValue, toNumbered, type Dialect, type Params, type Sql } from '../sql/executor';
import { likeMatches, likeSearch } from '../sql/page';
import { migratePostgres } from './migrate';
import { NewerDatabaseError, migrationsDir } from '../migrations';

const MIGRATIONS_DIR = migrationsDir('postgres');

/** The advisory lock that puts event ids in commit order (see `flushEvents`). */
const EVENT_ORDER_LOCK = 7_400_001;
/** Channel on which every server hears that events were committed anywhere. */
export const EVENTS_CHANNEL = 'counterlink_events';

export const postgresDialect: Dialect = {
  name: 'postgres',
  forUpdate: ' FOR UPDATE',
  jsonText: (column, key) => `(${column}::jsonb ->> '${key}')`,
  // LOWER(column) LIKE '%q%' is what the pg_trgm GIN indexes of migrations 002 and 008 serve.
  textSearch: async (_sql, index, alias, q) => likeSearch(index, alias, q),
  textMatches: likeMatches,
};

/** int8 (counts, times, money in minor units) and numeric (sums) as JS numbers: all stay below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs and socket errors that mean "the database is not there", not "the request is wrong". */
const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
/** Transient conflicts between concurrent transactions: the whole transaction is run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && UNAVAILABLE.has(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(e.message ?? '');
}

function translate(err: unknown): unknown {
  return isUnavailable(err) ? new StoreUnavailableError(err) : err;
}

/**
 * PostgreSQL text cannot hold U+0000, which SQLite (and the API) accept. Strings cross the seam
 * with a reversible escape in a private-use code point: NUL -> U+E000 '0', U+E000 -> U+E000 '1'.
 * Digits survive LOWER(), so searches on escaped text still match.
 */
const ESC = '\uE000';
const NEEDS_ESCAPE = /[\u0000\uE000]/;
export function escapeText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\u0000\uE000]/g, (c) => (c === '\u0000' ? `${ESC}0` : `${ESC}1`)) : s;
}
export function unescapeText(s: string): string {
  return s.includes(ESC) ? s.replace(/\uE000([01])/g, (_m, k: string) => (k === '0' ? '\u0000' : ESC)) : s;
}

function unescapeRow<R>(row: R): R {
  const r = row as Record<string, unknown>;
  for (const k in r) {
    const v = r[k];
    if (typeof v === 'string' && v.includes(ESC)) r[k] = unescapeText(v);
  }
  return row;
}

/** SQL over one pooled connection; each text becomes a named prepared statement, parsed once per connection. */
class PgSql implements Sql {
  readonly dialect = postgresDialect;

  constructor(
    private readonly client: pg.PoolClient | pg.Pool,
    private readonly cache: Map<string, { name: string; text: string; names: string[] }>,
  ) {}

  private async query<R>(text: string, params: Params | undefined): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
    let q = this.cache.get(text);
    if (!q) {
      const { text: numbered, names } = toNumbered(text);
      q = { name: `q${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text: numbered, names };
      this.cache.set(text, q);
    }
    const values = q.names.map((n) => {
      if (params === undefined || !(n in params)) throw new Error(`SQL parameter @${n} is not bound`);
      const v = bindValue(params[n]);
      return typeof v === 'string' ? escapeText(v) : v;
    });
    try {
      return await this.client.query<R & pg.QueryResultRow>({ name: q.name, text: q.text, values });
    } catch (err) {
      throw translate(err);
    }
  }

  async all<R>(text: string, params?: Params): Promise<R[]> {
    return (await this.query<R>(text, params)).rows.map(unescapeRow);
  }

  async get<R>(text: string, params?: Params): Promise<R | undefined> {
    const row = (await this.query<R>(text, params)).rows[0];
    return row && unescapeRow(row);
  }

  async run(text: string, params?: Params): Promise<number> {
    return (await this.query(text, params)).rowCount ?? 0;
  }
}

export interface PostgresOptions {
  url: string;
  /** Connections per server process. */
  poolSize?: number;
  migrationsDir?: string;
  /** Seals stored secrets (core/secrets.ts). */
  secrets?: SecretBox | undefined;
}

/**
 * The PostgreSQL store: any number of server processes share one database and behave as one.
 * Money rules hold through the same conditional UPDATEs as on SQLite (READ COMMITTED re-checks a
 * WHERE clause after waiting for the row lock); read-modify-writes take row or advisory locks;
 * deadlocks and serialisation failures re-run the transaction. Event ids follow commit order,
 * and LISTEN/NOTIFY tells every server when any of them committed events.
 */
export class PostgresStore extends BaseStore {
  readonly dialect = 'postgres' as const;
  private readonly statements = new Map<string, { name: string; text: string; names: string[] }>();
  /** Each pooled connection's executor, made when the pool first hands the connection out (its repositories are cached on it). */
  private readonly executors = new WeakMap<pg.PoolClient, PgSql>();
  private listener: pg.Client | undefined;
  private closed = false;
  private relisten: NodeJS.Timeout | undefined;

  constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
    secrets?: SecretBox,
  ) {
    super(secrets);
    // An idle connection that dies (server restart) is dropped by the pool; the next query reconnects.
    pool.on('error', () => undefined);
  }

  protected async runTx<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn, write);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= 5) throw err;
      }
    }
  }

  private async attempt<T>(fn: (t: Tx) => Promise<T>, write: boolean): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw translate(err);
    }
    let sql = this.executors.get(client);
    if (!sql) {
      // A connection that dies mid-transaction rejects the query in hand; its 'error' event must
      // not also crash the process. The pool drops the client when it is released with the error.
      client.on('error', () => undefined);
      this.executors.set(client, (sql = new PgSql(client, this.statements)));
    }
    const state = new TxState(this.secrets);
    const t = state.makeTx(sql, async (name) => {
      await sql.get('SELECT pg_advisory_xact_lock(hashtextextended(@name, 0))', { name });
    });
    let broken: unknown;
    try {
      if (!write) return await fn(t);
      await client.query('BEGIN');
      const result = await fn(t);
      if (state.queued.length > 0) await this.flushEvents(sql, client, state);
      await client.query('COMMIT');
      if (state.queued.length > 0) this.emitEventsCommitted();
      if (state.hooks.length > 0) setImmediate(() => state.runHooks());
      return result;
    } catch (err) {
      if (write) await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
      if (isUnavailable(err)) broken = err;
      throw translate(err);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /**
   * Writes the transaction's events last, under one advisory lock held to COMMIT: a transaction
   * takes its ids only once every earlier holder has committed, so ids grow in commit order and
   * a reader that resumes after id N can never miss an event with a smaller id committed later.
   * Taken last, the lock is never held while waiting for a row: it cannot join a deadlock.
   */
  private async flushEvents(sql: PgSql, client: pg.PoolClient, state: TxState): Promise<void> {
    await client.query(`SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`);
    await insertEvents(sql, state.queued);
    await client.query(`NOTIFY ${EVENTS_CHANNEL}`);
  }

  /** Hears every server's commits. Reconnects by itself; after a gap, tells listeners to re-read. */
  async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    const retry = () => {
      if (this.closed || this.relisten) return;
      this.listener = undefined;
      client.removeAllListeners();
      client.end().catch(() => undefined);
      this.relisten = setTimeout(() => {
        this.relisten = undefined;
        this.listen().catch(() => undefined);
      }, 1000);
      this.relisten.unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', () => this.emitEventsCommitted());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.listener = client;
      this.emitEventsCommitted();
    } catch {
      retry();
    }
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (err) {
      throw translate(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.relisten) clearTimeout(this.relisten);
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      listener.removeAllListeners();
      await listener.end().catch(() => undefined);
    }
    await this.pool.end().catch(() => undefined);
  }
}

/** A URL's host and database, never its password: for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Connects, migrates and starts listening. Rejects with a one-line reason when it cannot. */
export async function openPostgres({ url, poolSize = 10, migrationsDir = MIGRATIONS_DIR, secrets }: PostgresOptions): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 10_000 });
  const store = new PostgresStore(pool, url, secrets);
  try {
    await migratePostgres(pool, migrationsDir);
    await store.listen();
  } catch (err) {
    await store.close();
    if (err instanceof NewerDatabaseError) throw err;
    const reason = (err as { message?: string }).message ?? String(err);
    throw new Error(`Cannot use the PostgreSQL database at ${describeUrl(url)}: ${reason}`, { cause: err });
  }
  return store;
}
