import type { Sql } from '../sql/executor';

export type SettingsRepo = ReturnType<typeof settingsRepo>;

/** Key -> JSON value. Read-modify-write callers take `Tx.lock('settings:' + key)` first. */
export function settingsRepo(sql: Sql) {
  return {
    get: async <T>(key: string): Promise<T | undefined> => {
      const row = await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = @key', { key });
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set: async (key: string, value: unknown): Promise<void> => {
      await sql.run('INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value', {
        key,
        value: JSON.stringify(value),
      });
    },
  };
}
