import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../../core/store/migrations';

/** A new folder under `dir` with SQLite's migrations up to number `last`: opens a database as an older version made it. */
export function sqliteMigrationsUpTo(dir: string, last: number): string {
  const folder = join(dir, `migrations-to-${last}`);
  mkdirSync(folder);
  for (const f of readdirSync(migrationsDir('sqlite')).filter((f) => Number(f.slice(0, 3)) <= last)) copyFileSync(join(migrationsDir('sqlite'), f), join(folder, f));
  return folder;
}
