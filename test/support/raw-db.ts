import type { Core } from '../../core/index';
import type { Store } from '../../core/store/port';
import { SqliteStore, type Db } from '../../core/store/sqlite/adapter';
import { PostgresStore } from '../../core/store/postgres/adapter';

/**
 * The SQLite handle under a test's core, for the few tests that must look at (or tamper with)
 * rows directly: secrets at rest, crash leftovers. Everything else goes through the API or core.
 */
export function rawDb(core: Core): Db {
  if (!(core.store instanceof SqliteStore)) throw new Error('rawDb needs the SQLite store');
  return core.store.db;
}

/** Rows in a table, on either store: for tests that check that a refused request created nothing. */
export async function countRows(core: Core, table: string): Promise<number> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  if (core.store instanceof SqliteStore) return (core.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  if (core.store instanceof PostgresStore) return Number((await core.store.pool.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
  throw new Error('unknown store');
}

/** Rows straight from either store's database, for what the port does not show (how rows are stored). */
export async function storeRows<R>(store: Store, text: string): Promise<R[]> {
  if (store instanceof SqliteStore) return store.db.prepare(text).all() as R[];
  if (store instanceof PostgresStore) return (await store.pool.query(text)).rows as R[];
  throw new Error('unknown store');
}
