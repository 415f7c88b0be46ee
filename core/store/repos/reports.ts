import type { Sql } from '../sql/executor';

/** One method's succeeded payments (or refunds) in a period: sums in minor units. */
export interface MethodSums {
  method: string;
  count: number;
  amount: number;
  tips: number;
}

export interface PeriodQuery {
  livemode: boolean;
  currency: string;
  from: number;
  to: number;
  /** Only this point of sale's links; undefined = the whole shop. */
  pointOfSaleId?: string | undefined;
}

export interface DayClosingRecord {
  id: string;
  livemode: boolean;
  /** The point of sale's id, or '' for the whole shop. */
  scope: string;
  date: string;
  number: number;
  periodStart: number;
  periodEnd: number;
  report: unknown;
  closedAt: number;
}

interface ClosingRow {
  id: string;
  livemode: number;
  scope: string;
  date: string;
  number: number | string;
  period_start: number | string;
  period_end: number | string;
  report: string;
  closed_at: number | string;
}

function toClosing(r: ClosingRow): DayClosingRecord {
  return {
    id: r.id,
    livemode: Number(r.livemode) === 1,
    scope: r.scope,
    date: r.date,
    number: Number(r.number),
    periodStart: Number(r.period_start),
    periodEnd: Number(r.period_end),
    report: JSON.parse(r.report) as unknown,
    closedAt: Number(r.closed_at),
  };
}

/** Payment rows an export streams: the payment, its link's point of sale. */
export interface ExportPaymentRow {
  seq: number;
  id: string;
  ref_id: string;
  link_id: string;
  point_of_sale_id: string;
  status: string;
  method: string;
  amount: number;
  tip_amount: number;
  refunded_amount: number;
  currency: string;
  reference: string | null;
  payer_name: string | null;
  payer_email: string | null;
  created_at: number;
  completed_at: number;
}

export interface ExportRefundRow {
  seq: number;
  id: string;
  payment_id: string;
  ref_id: string;
  link_id: string;
  point_of_sale_id: string;
  method: string;
  status: string;
  amount: number;
  currency: string;
  reference: string | null;
  payer_name: string | null;
  payer_email: string | null;
  created_at: number;
}

const SUCCEEDED = `('succeeded', 'partially_refunded', 'refunded')`;

/**
 * What day reports, receipts and exports read: sums over a period, the refund ledger and the
 * closed days. pg returns SUM/COUNT of BIGINT as strings: every number goes through Number().
 */
export function reportsRepo(sql: Sql) {
  const posClause = (q: PeriodQuery) => (q.pointOfSaleId === undefined ? '' : ' AND l.point_of_sale_id = @pos');
  const params = (q: PeriodQuery) => ({ livemode: q.livemode ? 1 : 0, currency: q.currency, from: q.from, to: q.to, pos: q.pointOfSaleId });
  return {
    /** Succeeded payments (refunded later or not) that completed in [from, to), per method. */
    succeededByMethod: async (q: PeriodQuery): Promise<MethodSums[]> =>
      (
        await sql.all<{ method: string; n: number | string; amount: number | string | null; tips: number | string | null }>(
          `SELECT p.method AS method, COUNT(*) AS n, SUM(p.amount) AS amount, SUM(p.tip_amount) AS tips
           FROM payments p JOIN links l ON l.id = p.link_id
           WHERE p.livemode = @livemode AND p.currency = @currency AND p.status IN ${SUCCEEDED}
             AND p.completed_at >= @from AND p.completed_at < @to${posClause(q)}
           GROUP BY p.method ORDER BY p.method`,
          params(q),
        )
      ).map((r) => ({ method: r.method, count: Number(r.n), amount: Number(r.amount ?? 0), tips: Number(r.tips ?? 0) })),
    /** Refunds made in [from, to), per method of the payment they gave money back from. */
    refundsByMethod: async (q: PeriodQuery): Promise<MethodSums[]> =>
      (
        await sql.all<{ method: string; n: number | string; amount: number | string | null }>(
          `SELECT p.method AS method, COUNT(*) AS n, SUM(r.amount) AS amount
           FROM refund_ledger r JOIN payments p ON p.id = r.payment_id JOIN links l ON l.id = p.link_id
           WHERE r.livemode = @livemode AND r.currency = @currency AND r.created_at >= @from AND r.created_at < @to${posClause(q)}
           GROUP BY p.method ORDER BY p.method`,
          params(q),
        )
      ).map((r) => ({ method: r.method, count: Number(r.n), amount: Number(r.amount ?? 0), tips: 0 })),
    /** Payments started in [from, to) that are still pending. */
    pending: async (q: PeriodQuery): Promise<{ count: number; amount: number }> => {
      const r = await sql.get<{ n: number | string; amount: number | string | null }>(
        `SELECT COUNT(*) AS n, SUM(p.amount) AS amount FROM payments p JOIN links l ON l.id = p.link_id
         WHERE p.livemode = @livemode AND p.currency = @currency AND p.status = 'pending'
           AND p.created_at >= @from AND p.created_at < @to${posClause(q)}`,
        params(q),
      );
      return { count: Number(r?.n ?? 0), amount: Number(r?.amount ?? 0) };
    },
    /** Bank credits imported in [from, to) that wait for staff to assign them. */
    unmatchedCredits: async (q: PeriodQuery): Promise<{ count: number; amount: number }> => {
      const r = await sql.get<{ n: number | string; amount: number | string | null }>(
        `SELECT COUNT(*) AS n, SUM(amount) AS amount FROM bank_credits
         WHERE livemode = @livemode AND currency = @currency AND status = 'unmatched' AND created_at >= @from AND created_at < @to`,
        params(q),
      );
      return { count: Number(r?.n ?? 0), amount: Number(r?.amount ?? 0) };
    },
    /** Currencies of succeeded payments in the period other than the report's own. */
    otherCurrencies: async (q: PeriodQuery): Promise<string[]> =>
      (
        await sql.all<{ currency: string }>(
          `SELECT DISTINCT p.currency AS currency FROM payments p JOIN links l ON l.id = p.link_id
           WHERE p.livemode = @livemode AND p.currency <> @currency AND p.status IN ${SUCCEEDED}
             AND p.completed_at >= @from AND p.completed_at < @to${posClause(q)} ORDER BY p.currency`,
          params(q),
        )
      ).map((r) => r.currency),

    addRefund: async (r: { id: string; paymentId: string; livemode: boolean; amount: number; currency: string; createdAt: number }): Promise<void> => {
      await sql.run(
        `INSERT INTO refund_ledger (id, payment_id, livemode, amount, currency, created_at) VALUES (@id, @paymentId, @livemode, @amount, @currency, @createdAt)`,
        r,
      );
    },
    /** A refund the provider refused for good never happened: reports and exports stop counting it. */
    removeRefund: async (id: string): Promise<void> => {
      await sql.run('DELETE FROM refund_ledger WHERE id = @id', { id });
    },
    refundsOfPayment: async (paymentId: string): Promise<{ id: string; amount: number; createdAt: number }[]> =>
      (await sql.all<{ id: string; amount: number | string; created_at: number | string }>('SELECT id, amount, created_at FROM refund_ledger WHERE payment_id = @paymentId ORDER BY seq', { paymentId })).map(
        (r) => ({ id: r.id, amount: Number(r.amount), createdAt: Number(r.created_at) }),
      ),

    closing: async (livemode: boolean, scope: string, date: string): Promise<DayClosingRecord | undefined> => {
      const r = await sql.get<ClosingRow>('SELECT * FROM day_closings WHERE livemode = @livemode AND scope = @scope AND date = @date', { livemode: livemode ? 1 : 0, scope, date });
      return r && toClosing(r);
    },
    /** The latest closed day of the scope before `date` (its end is where `date` starts). */
    closingBefore: async (livemode: boolean, scope: string, date: string): Promise<DayClosingRecord | undefined> => {
      const r = await sql.get<ClosingRow>('SELECT * FROM day_closings WHERE livemode = @livemode AND scope = @scope AND date < @date ORDER BY date DESC LIMIT 1', {
        livemode: livemode ? 1 : 0,
        scope,
        date,
      });
      return r && toClosing(r);
    },
    /** The scope's closed days from `from` to `to` (dates, both included). */
    closingsBetween: async (livemode: boolean, scope: string, from: string, to: string): Promise<DayClosingRecord[]> =>
      (
        await sql.all<ClosingRow>('SELECT * FROM day_closings WHERE livemode = @livemode AND scope = @scope AND date >= @from AND date <= @to ORDER BY date', {
          livemode: livemode ? 1 : 0,
          scope,
          from,
          to,
        })
      ).map(toClosing),
    latestClosing: async (livemode: boolean, scope: string): Promise<DayClosingRecord | undefined> => {
      const r = await sql.get<ClosingRow>('SELECT * FROM day_closings WHERE livemode = @livemode AND scope = @scope ORDER BY date DESC LIMIT 1', { livemode: livemode ? 1 : 0, scope });
      return r && toClosing(r);
    },
    nextClosingNumber: async (livemode: boolean): Promise<number> => {
      const r = await sql.get<{ n: number | string | null }>('SELECT MAX(number) AS n FROM day_closings WHERE livemode = @livemode', { livemode: livemode ? 1 : 0 });
      return Number(r?.n ?? 0) + 1;
    },
    /** Conditional on (mode, scope, date) being free: false when that day was closed already. */
    insertClosing: async (c: DayClosingRecord): Promise<boolean> =>
      (await sql.run(
        `INSERT INTO day_closings (id, livemode, scope, date, number, period_start, period_end, report, closed_at)
         VALUES (@id, @livemode, @scope, @date, @number, @periodStart, @periodEnd, @report, @closedAt)
         ON CONFLICT (livemode, scope, date) DO NOTHING`,
        { ...c, report: JSON.stringify(c.report) },
      )) === 1,

    /** A page of succeeded payments completed in [from, to), oldest first, after `afterSeq`. */
    exportPayments: (livemode: boolean, from: number, to: number, afterSeq: number, limit: number): Promise<ExportPaymentRow[]> =>
      sql.all<ExportPaymentRow>(
        `SELECT p.seq, p.id, p.ref_id, p.link_id, l.point_of_sale_id, p.status, p.method, p.amount, p.tip_amount, p.refunded_amount, p.currency,
                p.reference, p.payer_name, p.payer_email, p.created_at, p.completed_at
         FROM payments p JOIN links l ON l.id = p.link_id
         WHERE p.livemode = @livemode AND p.status IN ${SUCCEEDED} AND p.completed_at >= @from AND p.completed_at < @to AND p.seq > @afterSeq
         ORDER BY p.seq LIMIT @limit`,
        { livemode: livemode ? 1 : 0, from, to, afterSeq, limit },
      ),
    /** A page of refunds made in [from, to), oldest first, after `afterSeq`. */
    exportRefunds: (livemode: boolean, from: number, to: number, afterSeq: number, limit: number): Promise<ExportRefundRow[]> =>
      sql.all<ExportRefundRow>(
        `SELECT r.seq, r.id, r.payment_id, p.ref_id, p.link_id, l.point_of_sale_id, p.method, p.status, r.amount, r.currency, p.reference, p.payer_name, p.payer_email, r.created_at
         FROM refund_ledger r JOIN payments p ON p.id = r.payment_id JOIN links l ON l.id = p.link_id
         WHERE r.livemode = @livemode AND r.created_at >= @from AND r.created_at < @to AND r.seq > @afterSeq
         ORDER BY r.seq LIMIT @limit`,
        { livemode: livemode ? 1 : 0, from, to, afterSeq, limit },
      ),
  };
}
