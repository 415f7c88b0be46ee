import type pg from 'pg';
import { checkApplied, readMigrations } from '../migrations';

const MIGRATION_LOCK = 7_400_002;

/**
 * Applies the numbered PostgreSQL migrations, each in its own transaction, under an advisory
 * lock: several servers starting at once migrate the schema once, the others wait and find it done.
 */
export async function migratePostgres(pool: pg.Pool, dir: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = (await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations')).rows;
    for (const m of checkApplied(applied, readMigrations(dir))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined);
    client.release();
  }
}
