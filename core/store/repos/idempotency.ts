import type { Sql } from '../sql/executor';
import type { IdempotencyRecord } from '../types';

export type IdempotencyRepo = ReturnType<typeof idempotencyRepo>;

export function idempotencyRepo(sql: Sql) {
  return {
    get: async (scope: string, key: string): Promise<IdempotencyRecord | undefined> => {
      const r = await sql.get<{ request_hash: string; status_code: number; response_body: string; created_at: number }>(
        'SELECT request_hash, status_code, response_body, created_at FROM idempotency_keys WHERE scope = @scope AND key = @key',
        { scope, key },
      );
      return r && { requestHash: r.request_hash, statusCode: r.status_code, body: r.response_body, createdAt: r.created_at };
    },
    put: async (scope: string, key: string, requestHash: string, statusCode: number, body: string, now: number): Promise<void> => {
      await sql.run(
        `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, created_at)
         VALUES (@scope, @key, @requestHash, @statusCode, @body, @now)
         ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status_code = excluded.status_code,
           response_body = excluded.response_body, created_at = excluded.created_at`,
        { scope, key, requestHash, statusCode, body, now },
      );
    },
    purgeOlderThan: (cutoff: number): Promise<number> => sql.run('DELETE FROM idempotency_keys WHERE created_at < @cutoff', { cutoff }),
  };
}
