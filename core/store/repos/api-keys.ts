import type { Sql } from '../sql/executor';
import type { ApiKeyRecord, KeyMode } from '../types';

export interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  role: string;
  mode: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return { id: r.id, name: r.name, prefix: r.prefix, role: r.role, mode: r.mode as KeyMode, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

export type ApiKeysRepo = ReturnType<typeof apiKeysRepo>;

export function apiKeysRepo(sql: Sql) {
  return {
    insert: async (k: { id: string; name: string; keyHash: string; prefix: string; role: string; mode: KeyMode; createdAt: number }): Promise<void> => {
      await sql.run('INSERT INTO api_keys (id, name, key_hash, prefix, role, mode, created_at) VALUES (@id, @name, @keyHash, @prefix, @role, @mode, @createdAt)', k);
    },
    get: async (id: string): Promise<ApiKeyRecord | undefined> => {
      const r = await sql.get<ApiKeyRow>('SELECT * FROM api_keys WHERE id = @id', { id });
      return r && toApiKey(r);
    },
    /** Keys that work, oldest first (revoked ones are gone for good). */
    list: async (): Promise<ApiKeyRecord[]> => (await sql.all<ApiKeyRow>('SELECT * FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, id')).map(toApiKey),
    /** Conditional: revokes a key once. */
    revoke: async (id: string, at: number): Promise<boolean> =>
      (await sql.run('UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL', { id, at })) === 1,
    byHash: async (hash: string): Promise<(ApiKeyRecord & { keyHash: string }) | undefined> => {
      const r = await sql.get<ApiKeyRow>('SELECT * FROM api_keys WHERE key_hash = @hash', { hash });
      return r && { ...toApiKey(r), keyHash: r.key_hash };
    },
    count: async (): Promise<number> => (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL'))!.n,
    touch: async (id: string, at: number): Promise<void> => {
      await sql.run('UPDATE api_keys SET last_used_at = @at WHERE id = @id', { id, at });
    },
  };
}
