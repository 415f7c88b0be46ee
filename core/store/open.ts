import type { Store } from './port';
import { openSqlite } from './sqlite/adapter';
import { openPostgres } from './postgres/adapter';

export interface StoreOptions {
  /** `postgres://…` (COUNTERLINK_DATABASE_URL): everything in PostgreSQL, shared by any number of servers. */
  databaseUrl?: string | undefined;
  /** Otherwise one SQLite file (or ':memory:'). */
  databaseFile: string;
}

/** Opens (and migrates) the configured store. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres({ url: options.databaseUrl });
  return openSqlite({ file: options.databaseFile });
}
