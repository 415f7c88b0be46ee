import type { Sql } from '../sql/executor';

export type RefIdsRepo = ReturnType<typeof refIdsRepo>;

/** Every link base and every payment refId, so a refId is unique across both. */
export function refIdsRepo(sql: Sql) {
  return {
    /** False when the refId (or link base) is taken. */
    claim: async (refId: string): Promise<boolean> => (await sql.run('INSERT INTO ref_ids (ref_id) VALUES (@refId) ON CONFLICT DO NOTHING', { refId })) === 1,
    exists: async (refId: string): Promise<boolean> => (await sql.get('SELECT 1 AS one FROM ref_ids WHERE ref_id = @refId', { refId })) !== undefined,
  };
}
