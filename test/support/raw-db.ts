import type { Core } from '../../core/index';
import { SqliteStore, type Db } from '../../core/store/sqlite/adapter';

/**
 * The SQLite handle under a test's core, for the few tests that must look at (or tamper with)
 * rows directly: secrets at rest, crash leftovers. Everything else goes through the API or core.
 */
export function rawDb(core: Core): Db {
  if (!(core.store instanceof SqliteStore)) throw new Error('rawDb needs the SQLite store');
  return core.store.db;
}
