import type { Sql } from '../sql/executor';
import type { DeviceRecord, DeviceRole, PairingCodeRecord } from '../types';

interface DeviceRow {
  id: string;
  name: string;
  role: string;
  point_of_sale_id: string;
  token_hash: string;
  created_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
}

function toDevice(r: DeviceRow): DeviceRecord {
  return {
    id: r.id,
    name: r.name,
    role: r.role as DeviceRole,
    pointOfSaleId: r.point_of_sale_id,
    createdAt: Number(r.created_at),
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

export type DevicesRepo = ReturnType<typeof devicesRepo>;

/** Paired devices and the one-time codes that pair them: both looked up by SHA-256, never by the secret. */
export function devicesRepo(sql: Sql) {
  return {
    insertCode: async (c: PairingCodeRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO pairing_codes (code_hash, role, point_of_sale_id, created_at, expires_at, used_at)
         VALUES (@codeHash, @role, @pointOfSaleId, @createdAt, @expiresAt, NULL)`,
        { codeHash: c.codeHash, role: c.role, pointOfSaleId: c.pointOfSaleId, createdAt: c.createdAt, expiresAt: c.expiresAt },
      );
    },
    /**
     * Conditional: marks an unused, unexpired code used and returns it; undefined when it is
     * unknown, used or expired. Of two pairings racing for one code exactly one gets it.
     */
    useCode: async (codeHash: string, now: number): Promise<Pick<PairingCodeRecord, 'role' | 'pointOfSaleId'> | undefined> => {
      const r = await sql.get<{ role: string; point_of_sale_id: string }>(
        `UPDATE pairing_codes SET used_at = @now WHERE code_hash = @codeHash AND used_at IS NULL AND expires_at > @now RETURNING role, point_of_sale_id`,
        { codeHash, now },
      );
      return r && { role: r.role as DeviceRole, pointOfSaleId: r.point_of_sale_id };
    },
    /** Codes that can no longer be used (expired a day ago, or used) are forgotten. */
    purgeCodes: (before: number): Promise<number> => sql.run('DELETE FROM pairing_codes WHERE expires_at <= @before', { before }),
    insert: async (d: DeviceRecord & { tokenHash: string }): Promise<void> => {
      await sql.run(
        `INSERT INTO devices (id, name, role, point_of_sale_id, token_hash, created_at, last_seen_at, revoked_at)
         VALUES (@id, @name, @role, @pointOfSaleId, @tokenHash, @createdAt, @lastSeenAt, NULL)`,
        { id: d.id, name: d.name, role: d.role, pointOfSaleId: d.pointOfSaleId, tokenHash: d.tokenHash, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt },
      );
    },
    get: async (id: string): Promise<DeviceRecord | undefined> => {
      const r = await sql.get<DeviceRow>('SELECT * FROM devices WHERE id = @id', { id });
      return r && toDevice(r);
    },
    byTokenHash: async (hash: string): Promise<DeviceRecord | undefined> => {
      const r = await sql.get<DeviceRow>('SELECT * FROM devices WHERE token_hash = @hash', { hash });
      return r && toDevice(r);
    },
    /** Devices that work, oldest first (revoked ones are gone for good). */
    list: async (): Promise<DeviceRecord[]> => (await sql.all<DeviceRow>('SELECT * FROM devices WHERE revoked_at IS NULL ORDER BY created_at, id')).map(toDevice),
    /** Conditional: revokes a device once. */
    revoke: async (id: string, at: number): Promise<boolean> => (await sql.run('UPDATE devices SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL', { id, at })) === 1,
    touch: async (id: string, at: number): Promise<void> => {
      await sql.run('UPDATE devices SET last_seen_at = @at WHERE id = @id', { id, at });
    },
  };
}
