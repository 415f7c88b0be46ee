import type { Sql } from '../sql/executor';
import type { SessionRecord } from '../types';

interface SessionRow {
  id: string;
  token_hash: string;
  method: string;
  api_key_id: string | null;
  staff_user_id: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export type SessionsRepo = ReturnType<typeof sessionsRepo>;

/** Staff browser sessions: looked up by the SHA-256 of the cookie's token, never the token. */
export function sessionsRepo(sql: Sql) {
  return {
    insert: async (r: SessionRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO sessions (id, token_hash, method, api_key_id, staff_user_id, created_at, last_seen_at, expires_at)
         VALUES (@id, @tokenHash, @method, @apiKeyId, @staffUserId, @createdAt, @lastSeenAt, @expiresAt)`,
        { ...r },
      );
    },
    /**
     * With `keyActive`: false when the API key that logged in was revoked (or is gone) since; with
     * `userActive`: false when the staff user who signed in was deleted since.
     */
    byTokenHash: async (hash: string): Promise<(SessionRecord & { keyActive: boolean; userActive: boolean }) | undefined> => {
      const r = await sql.get<SessionRow & { key_active: number; user_active: number }>(
        `SELECT s.*, CASE WHEN k.id IS NOT NULL AND k.revoked_at IS NULL THEN 1 ELSE 0 END AS key_active,
                CASE WHEN u.id IS NOT NULL AND u.deleted_at IS NULL THEN 1 ELSE 0 END AS user_active
         FROM sessions s LEFT JOIN api_keys k ON k.id = s.api_key_id LEFT JOIN staff_users u ON u.id = s.staff_user_id WHERE s.token_hash = @hash`,
        { hash },
      );
      return (
        r && {
          id: r.id,
          tokenHash: r.token_hash,
          method: r.method as SessionRecord['method'],
          apiKeyId: r.api_key_id,
          staffUserId: r.staff_user_id,
          createdAt: r.created_at,
          lastSeenAt: r.last_seen_at,
          expiresAt: r.expires_at,
          keyActive: Number(r.key_active) === 1,
          userActive: Number(r.user_active) === 1,
        }
      );
    },
    touch: async (id: string, at: number): Promise<void> => {
      await sql.run('UPDATE sessions SET last_seen_at = @at WHERE id = @id', { id, at });
    },
    delete: async (id: string): Promise<void> => {
      await sql.run('DELETE FROM sessions WHERE id = @id', { id });
    },
    /** Ends every session of a staff user (deleted, or a new PIN). */
    deleteByStaffUser: (staffUserId: string): Promise<number> => sql.run('DELETE FROM sessions WHERE staff_user_id = @staffUserId', { staffUserId }),
    /** The shop's single PIN changed: its sessions end (staff users' own PIN sessions stay). */
    deleteByMethod: (method: SessionRecord['method']): Promise<number> => sql.run('DELETE FROM sessions WHERE method = @method AND staff_user_id IS NULL', { method }),
    /** Ends sessions past their absolute end or idle longer than `idleBefore` allows. */
    purge: (now: number, idleBefore: number): Promise<number> =>
      sql.run('DELETE FROM sessions WHERE expires_at <= @now OR last_seen_at <= @idleBefore', { now, idleBefore }),
  };
}
