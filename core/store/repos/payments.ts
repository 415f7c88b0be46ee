import type { PaymentRecord, PaymentStatus } from '../../payments/types';
import type { Sql } from '../sql/executor';
import { pageOf, parseJson } from '../sql/page';
import type { Page, PageQuery, PaymentFilter } from '../types';
import { searchAmounts } from '../../money';

export interface PaymentRow {
  seq: number;
  id: string;
  link_id: string;
  ref_id: string;
  status: string;
  amount: number;
  tip_amount: number;
  currency: string;
  method: string;
  reference: string | null;
  payer_name: string | null;
  payer_email: string | null;
  metadata: string;
  refunded_amount: number;
  lock_expires_at: number;
  livemode: number;
  provider_reference: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export function toPayment(r: PaymentRow): PaymentRecord {
  return {
    seq: r.seq,
    id: r.id,
    linkId: r.link_id,
    refId: r.ref_id,
    status: r.status as PaymentStatus,
    amount: r.amount,
    tipAmount: r.tip_amount,
    currency: r.currency,
    method: r.method,
    reference: r.reference,
    payerName: r.payer_name,
    payerEmail: r.payer_email,
    metadata: parseJson<Record<string, string>>(r.metadata) ?? {},
    refundedAmount: r.refunded_amount,
    lockExpiresAt: r.lock_expires_at,
    livemode: r.livemode === 1,
    providerReference: r.provider_reference,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
}

export type PaymentsRepo = ReturnType<typeof paymentsRepo>;

export function paymentsRepo(sql: Sql) {
  return {
    insert: async (p: Omit<PaymentRecord, 'seq' | 'tipAmount'> & { tipAmount?: number }): Promise<void> => {
      await sql.run(
        `INSERT INTO payments (id, link_id, ref_id, status, amount, tip_amount, currency, method, reference, payer_name, payer_email,
           metadata, refunded_amount, lock_expires_at, livemode, provider_reference, created_at, updated_at, completed_at)
         VALUES (@id, @linkId, @refId, @status, @amount, @tipAmount, @currency, @method, @reference, @payerName, @payerEmail,
           @metadata, @refundedAmount, @lockExpiresAt, @livemode, @providerReference, @createdAt, @updatedAt, @completedAt)`,
        { ...p, tipAmount: p.tipAmount ?? 0, metadata: JSON.stringify(p.metadata) },
      );
    },
    get: async (id: string): Promise<PaymentRecord | undefined> => {
      const r = await sql.get<PaymentRow>('SELECT * FROM payments WHERE id = @id', { id });
      return r && toPayment(r);
    },
    byRefId: async (refId: string): Promise<PaymentRecord | undefined> => {
      const r = await sql.get<PaymentRow>('SELECT * FROM payments WHERE ref_id = @refId', { refId });
      return r && toPayment(r);
    },
    /** Conditional: ends a payment only while it is still pending. False when it was not. */
    finish: async (id: string, status: PaymentStatus, now: number): Promise<boolean> =>
      (await sql.run(`UPDATE payments SET status = @status, completed_at = @now, updated_at = @now WHERE id = @id AND status = 'pending'`, {
        id,
        status,
        now,
      })) === 1,
    /** Conditional: refunds only what is left of a succeeded payment. */
    refund: async (id: string, amount: number, now: number): Promise<boolean> =>
      (await sql.run(
        `UPDATE payments SET refunded_amount = refunded_amount + @amount,
           status = CASE WHEN refunded_amount + @amount = amount THEN 'refunded' ELSE 'partially_refunded' END,
           updated_at = @now
         WHERE id = @id AND status IN ('succeeded', 'partially_refunded') AND refunded_amount + @amount <= amount`,
        { id, amount, now },
      )) === 1,
    /** A refund the provider refused for good gives its amount back (conditional on it being refunded). */
    unrefund: async (id: string, amount: number, now: number): Promise<boolean> =>
      (await sql.run(
        `UPDATE payments SET refunded_amount = refunded_amount - @amount,
           status = CASE WHEN refunded_amount - @amount = 0 THEN 'succeeded' ELSE 'partially_refunded' END,
           updated_at = @now
         WHERE id = @id AND status IN ('refunded', 'partially_refunded') AND refunded_amount >= @amount`,
        { id, amount, now },
      )) === 1,
    /** Records the provider's id for a payment it started. */
    setProviderReference: async (id: string, reference: string): Promise<void> => {
      await sql.run('UPDATE payments SET provider_reference = @reference WHERE id = @id', { id, reference });
    },
    /** A transfer's hold ends later than the lock TTL: the payment keeps its link that long. */
    setHold: async (id: string, until: number): Promise<void> => {
      await sql.run(`UPDATE payments SET lock_expires_at = @until WHERE id = @id AND status = 'pending'`, { id, until });
    },
    pendingForLink: async (linkId: string): Promise<PaymentRecord[]> =>
      (await sql.all<PaymentRow>(`SELECT * FROM payments WHERE link_id = @linkId AND status = 'pending' ORDER BY seq`, { linkId })).map(toPayment),
    /** Pending payments past their hold, soonest first: a range of the `payments_pending` index. */
    lapsed: async (now: number): Promise<PaymentRecord[]> =>
      (
        await sql.all<PaymentRow>(`SELECT * FROM payments WHERE status = 'pending' AND lock_expires_at <= @now ORDER BY lock_expires_at LIMIT 500`, {
          now,
        })
      ).map(toPayment),
    /** When the next pending payment's lock lapses (null: none pending): the sweeper's horizon. */
    nextLapse: async (): Promise<number | null> =>
      (await sql.get<{ at: number | null }>(`SELECT MIN(lock_expires_at) AS at FROM payments WHERE status = 'pending'`))?.at ?? null,
    list: (filter: PaymentFilter, page: PageQuery): Promise<Page<PaymentRecord>> => {
      const clauses: string[] = [];
      const params: Record<string, string | number> = {};
      if (filter.livemode !== undefined) {
        clauses.push('p.livemode = @livemode');
        params.livemode = filter.livemode ? 1 : 0;
      }
      if (filter.q?.trim()) {
        // The rows that match, found through the text index (migrations 012 / 008) and, for an
        // amount, payments_amount; the list then reads just those (the unary + keeps SQLite from
        // walking the whole mode's index newest-first instead, testing every row).
        const q = filter.q.trim();
        const text = sql.dialect.textMatches('payments', q);
        const amounts = searchAmounts(q);
        const amountIn = amounts.map((amount, i) => {
          params[`qAmount${i}`] = amount;
          return `@qAmount${i}`;
        });
        Object.assign(params, text.params);
        const matches = amounts.length > 0 ? `${text.select} UNION SELECT seq FROM payments WHERE amount IN (${amountIn.join(', ')})` : text.select;
        clauses.push(`p.seq IN (${matches})`);
        if (filter.livemode !== undefined) clauses[clauses.indexOf('p.livemode = @livemode')] = '+p.livemode = @livemode';
      }
      if (filter.method) {
        clauses.push('p.method = @method');
        params.method = filter.method;
      }
      if (filter.linkId) {
        clauses.push('p.link_id = @linkId');
        params.linkId = filter.linkId;
      }
      if (filter.pointOfSaleId) {
        clauses.push('p.link_id IN (SELECT id FROM links WHERE point_of_sale_id = @pointOfSaleId)');
        params.pointOfSaleId = filter.pointOfSaleId;
      }
      if (filter.status) {
        clauses.push('p.status = @status');
        params.status = filter.status;
      }
      if (filter.createdAfter !== undefined) {
        clauses.push('p.created_at > @createdAfter');
        params.createdAfter = filter.createdAfter;
      }
      if (filter.createdBefore !== undefined) {
        clauses.push('p.created_at < @createdBefore');
        params.createdBefore = filter.createdBefore;
      }
      return pageOf<PaymentRow, PaymentRecord>(sql, 'SELECT p.* FROM payments p', clauses, params, page, toPayment, 'p');
    },
  };
}
