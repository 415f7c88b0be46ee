import Database from 'better-sqlite3';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const DEFAULT_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  /** A file path, or ':memory:' for throwaway databases in unit tests. */
  file: string;
  migrationsDir?: string;
}

/**
 * The one place a database handle is made. WAL lets readers run beside the writer;
 * synchronous=FULL makes every acknowledged money change durable across a power cut.
 */
export function openDatabase({ file, migrationsDir = DEFAULT_MIGRATIONS_DIR }: OpenOptions): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrationsDir);
  cacheStatements(db);
  return db;
}

/**
 * Makes `db.prepare(sql)` return one compiled statement per SQL text. Compiling is most of the
 * cost of a small query, and the store's queries are a fixed set. Safe because the store only
 * uses run/get/all, which finish before the statement can be used again.
 */
function cacheStatements(db: Db): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/**
 * Applies numbered SQL files in order, each in its own transaction, recording them in
 * schema_migrations. A database that knows a migration this build does not is refused loudly:
 * running old code on a newer database could corrupt it.
 */
export function migrate(db: Db, dir: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Map(
    (db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[]).map((r) => [r.version, r.name]),
  );
  const known = readMigrations(dir);
  const knownVersions = new Set(known.map((m) => m.version));
  for (const [version, name] of applied) {
    if (!knownVersions.has(version)) {
      throw new Error(`Database has migration ${name} that this version of Counterlink does not know. Upgrade the app.`);
    }
  }
  for (const m of known) {
    const done = applied.get(m.version);
    if (done !== undefined) {
      if (done !== m.name) throw new Error(`Migration ${m.version} is ${done} in the database but ${m.name} on disk.`);
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }).immediate();
  }
}
