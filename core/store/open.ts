import type { Store } from './port';
import { openSqlite } from './sqlite/adapter';
import { openPostgres } from './postgres/adapter';
import type { SecretBox } from '../secrets';

export interface StoreOptions {
  /** `postgres://…` (COUNTERLINK_DATABASE_URL): everything in PostgreSQL, shared by any number of servers. */
  databaseUrl?: string | undefined;
  /** Otherwise one SQLite file (or ':memory:'). */
  databaseFile: string;
  /** Seals the secrets the store keeps (core/secrets.ts). */
  secrets?: SecretBox | undefined;
}

/** Opens (and migrates) the configured store. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres({ url: options.databaseUrl, secrets: options.secrets });
  return openSqlite({ file: options.databaseFile, secrets: options.secrets });
}
