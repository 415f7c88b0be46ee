import type { Sql } from '../sql/executor';
import type { StaffRole, StaffUserRecord } from '../types';

interface StaffUserRow {
  id: string;
  name: string;
  role: string;
  pin: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

function toStaffUser(r: StaffUserRow): StaffUserRecord {
  return {
    id: r.id,
    name: r.name,
    role: r.role as StaffRole,
    pin: r.pin,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
  };
}

export type StaffUsersRepo = ReturnType<typeof staffUsersRepo>;

/** Staff users with a role and their own PIN (its scrypt hash). Deleted users are kept, marked. */
export function staffUsersRepo(sql: Sql) {
  return {
    insert: async (u: StaffUserRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO staff_users (id, name, role, pin, created_at, updated_at, deleted_at)
         VALUES (@id, @name, @role, @pin, @createdAt, @updatedAt, NULL)`,
        { id: u.id, name: u.name, role: u.role, pin: u.pin, createdAt: u.createdAt, updatedAt: u.updatedAt },
      );
    },
    /** A user who exists (not deleted). */
    get: async (id: string): Promise<StaffUserRecord | undefined> => {
      const r = await sql.get<StaffUserRow>('SELECT * FROM staff_users WHERE id = @id AND deleted_at IS NULL', { id });
      return r && toStaffUser(r);
    },
    list: async (): Promise<StaffUserRecord[]> =>
      (await sql.all<StaffUserRow>('SELECT * FROM staff_users WHERE deleted_at IS NULL ORDER BY name, id')).map(toStaffUser),
    count: async (role?: StaffRole): Promise<number> =>
      Number(
        role === undefined
          ? (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM staff_users WHERE deleted_at IS NULL'))!.n
          : (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM staff_users WHERE deleted_at IS NULL AND role = @role', { role }))!.n,
      ),
    update: async (id: string, changes: { name: string; role: StaffRole; pin: string; updatedAt: number }): Promise<boolean> =>
      (await sql.run('UPDATE staff_users SET name = @name, role = @role, pin = @pin, updated_at = @updatedAt WHERE id = @id AND deleted_at IS NULL', { id, ...changes })) === 1,
    delete: async (id: string, at: number): Promise<boolean> =>
      (await sql.run('UPDATE staff_users SET deleted_at = @at WHERE id = @id AND deleted_at IS NULL', { id, at })) === 1,
  };
}
