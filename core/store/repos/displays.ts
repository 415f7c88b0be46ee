import type { Sql } from '../sql/executor';
import type { DisplayRecord } from '../types';

export interface DisplayRow {
  point_of_sale_id: string;
  mode: string;
  link_id: string | null;
  payment_id: string | null;
  result_until: number | null;
  updated_at: number;
}

function toDisplay(r: DisplayRow): DisplayRecord {
  return {
    pointOfSaleId: r.point_of_sale_id,
    mode: r.mode as DisplayRecord['mode'],
    linkId: r.link_id,
    paymentId: r.payment_id,
    resultUntil: r.result_until,
    updatedAt: r.updated_at,
  };
}

export type DisplaysRepo = ReturnType<typeof displaysRepo>;

export function displaysRepo(sql: Sql) {
  return {
    get: async (posId: string): Promise<DisplayRecord | undefined> => {
      const r = await sql.get<DisplayRow>('SELECT * FROM displays WHERE point_of_sale_id = @posId', { posId });
      return r && toDisplay(r);
    },
    put: async (d: DisplayRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO displays (point_of_sale_id, mode, link_id, payment_id, result_until, updated_at)
         VALUES (@pointOfSaleId, @mode, @linkId, @paymentId, @resultUntil, @updatedAt)
         ON CONFLICT (point_of_sale_id) DO UPDATE SET mode = excluded.mode, link_id = excluded.link_id,
           payment_id = excluded.payment_id, result_until = excluded.result_until, updated_at = excluded.updated_at`,
        { ...d },
      );
    },
    showingLink: async (linkId: string): Promise<DisplayRecord[]> =>
      (await sql.all<DisplayRow>('SELECT * FROM displays WHERE link_id = @linkId', { linkId })).map(toDisplay),
    resultsDue: async (now: number): Promise<DisplayRecord[]> =>
      (await sql.all<DisplayRow>(`SELECT * FROM displays WHERE mode = 'result' AND result_until <= @now`, { now })).map(toDisplay),
    /** When the next display result times out (null: none shown): the sweeper's horizon. */
    nextResultEnd: async (): Promise<number | null> =>
      (await sql.get<{ at: number | null }>(`SELECT MIN(result_until) AS at FROM displays WHERE mode = 'result'`))?.at ?? null,
  };
}
