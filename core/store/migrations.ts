import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Each dialect's numbered SQL files: core/store/migrations/{sqlite,postgres} in the source tree,
 * out/main/migrations/{…} in the desktop bundle (electron.vite.config.ts copies them there).
 */
export function migrationsDir(dialect: 'sqlite' | 'postgres'): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'migrations', dialect);
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `NNN_name.sql` files of a dialect's migrations folder, in order. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, sql: readFileSync(join(dir, name), 'utf8') }));
}

export class NewerDatabaseError extends Error {}

/**
 * Compares what the database has applied with what this build knows; returns what is left to
 * apply. A migration the build does not know means a newer version wrote this database: refused.
 */
export function checkApplied(applied: { version: number; name: string }[], known: Migration[]): Migration[] {
  const done = new Map(applied.map((r) => [Number(r.version), r.name]));
  const knownVersions = new Set(known.map((m) => m.version));
  for (const [version, name] of done) {
    if (!knownVersions.has(version)) {
      throw new NewerDatabaseError(`Database has migration ${name} that this version of Counterlink does not know. Upgrade the app.`);
    }
  }
  return known.filter((m) => {
    const name = done.get(m.version);
    if (name === undefined) return true;
    if (name !== m.name) throw new NewerDatabaseError(`Migration ${m.version} is ${name} in the database but ${m.name} on disk.`);
    return false;
  });
}
