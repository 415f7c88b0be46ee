import type { Sql } from '../sql/executor';
import type { ApiKeyRecord } from '../types';

export interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  role: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return { id: r.id, name: r.name, prefix: r.prefix, role: r.role, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

export type ApiKeysRepo = ReturnType<typeof apiKeysRepo>;

export function apiKeysRepo(sql: Sql) {
  return {
    insert: async (k: { id: string; name: string; keyHash: string; prefix: string; role: string; createdAt: number }): Promise<void> => {
      await sql.run('INSERT INTO api_keys (id, name, key_hash, prefix, role, created_at) VALUES (@id, @name, @keyHash, @prefix, @role, @createdAt)', k);
    },
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
