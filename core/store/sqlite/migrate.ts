import type Database from 'better-sqlite3';
import { readMigrations, checkApplied } from '../migrations';

/**
 * Applies numbered SQL files in order, each in its own transaction, recording them in
 * schema_migrations. A database that knows a migration this build does not is refused loudly:
 * running old code on a newer database could corrupt it.
 */
export function migrateSqlite(db: Database.Database, dir: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[];
  for (const m of checkApplied(applied, readMigrations(dir))) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }).immediate();
  }
}
