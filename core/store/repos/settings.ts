import type { Sql } from '../sql/executor';
import { hasPlainSettingFields, openSettingFields, SEALED_SETTING_FIELDS, sealSettingFields, type SecretBox } from '../../secrets';

export type SettingsRepo = ReturnType<typeof settingsRepo>;

/**
 * Key -> JSON value. Read-modify-write callers take `Tx.lock('settings:' + key)` first. The
 * secret fields of a value (core/secrets.ts `SEALED_SETTING_FIELDS`) are sealed here on the way
 * in and opened on the way out: no feature handles sealed text, none can forget to seal.
 */
export function settingsRepo(sql: Sql, secrets: SecretBox) {
  const raw = async (key: string): Promise<unknown> => {
    const row = await sql.get<{ value: string }>('SELECT value FROM settings WHERE key = @key', { key });
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  };
  const write = async (key: string, value: unknown): Promise<void> => {
    await sql.run('INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value', {
      key,
      value: JSON.stringify(value),
    });
  };
  return {
    get: async <T>(key: string): Promise<T | undefined> => {
      const value = await raw(key);
      return value === undefined ? undefined : (openSettingFields(secrets, key, value) as T);
    },
    set: (key: string, value: unknown): Promise<void> => write(key, sealSettingFields(secrets, key, value)),
    /** A value as it is stored (sealed fields sealed): for the key check and tests. */
    raw,
    /** Seals every secret still stored in plain text (a database from before sealing); how many values changed. */
    sealPlain: async (): Promise<number> => {
      let changed = 0;
      for (const key of Object.keys(SEALED_SETTING_FIELDS)) {
        const value = await raw(key);
        if (value === undefined || !hasPlainSettingFields(key, value)) continue;
        await write(key, sealSettingFields(secrets, key, value));
        changed++;
      }
      return changed;
    },
  };
}
