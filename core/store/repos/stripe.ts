import type { Sql } from '../sql/executor';

/** A Stripe payment's Checkout Session, recorded once Stripe made it. */
export interface StripeSessionRecord {
  paymentId: string;
  sessionId: string;
  url: string | null;
  paymentIntent: string | null;
  livemode: boolean;
  createdAt: number;
}

/** A refund of a payment: `pending` until the provider took it (or refused it for good). */
export interface RefundRecord {
  seq: number;
  id: string;
  paymentId: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
  providerReference: string | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

interface SessionRow {
  payment_id: string;
  session_id: string;
  url: string | null;
  payment_intent: string | null;
  livemode: number;
  created_at: number;
}

interface RefundRow {
  seq: number;
  id: string;
  payment_id: string;
  amount: number;
  status: string;
  provider_reference: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const toSession = (r: SessionRow): StripeSessionRecord => ({
  paymentId: r.payment_id,
  sessionId: r.session_id,
  url: r.url,
  paymentIntent: r.payment_intent,
  livemode: r.livemode === 1,
  createdAt: Number(r.created_at),
});

const toRefund = (r: RefundRow): RefundRecord => ({
  seq: Number(r.seq),
  id: r.id,
  paymentId: r.payment_id,
  amount: Number(r.amount),
  status: r.status as RefundRecord['status'],
  providerReference: r.provider_reference,
  error: r.error,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Stripe's own facts: sessions, the events applied, and refunds (stripe_* and payment_refunds). */
export function stripeRepo(sql: Sql) {
  return {
    /** Records the session of a payment; a second call for the same payment changes nothing. */
    insertSession: async (r: StripeSessionRecord): Promise<void> => {
      await sql.run(
        `INSERT INTO stripe_sessions (payment_id, session_id, url, payment_intent, livemode, created_at)
         VALUES (@paymentId, @sessionId, @url, @paymentIntent, @livemode, @createdAt)
         ON CONFLICT (payment_id) DO NOTHING`,
        { ...r, livemode: r.livemode ? 1 : 0 },
      );
    },
    session: async (paymentId: string): Promise<StripeSessionRecord | undefined> => {
      const row = await sql.get<SessionRow>('SELECT * FROM stripe_sessions WHERE payment_id = @paymentId', { paymentId });
      return row ? toSession(row) : undefined;
    },
    setPaymentIntent: async (paymentId: string, paymentIntent: string): Promise<void> => {
      await sql.run('UPDATE stripe_sessions SET payment_intent = @paymentIntent WHERE payment_id = @paymentId', { paymentId, paymentIntent });
    },
    /** True the first time an event id is seen; false for a replay (the caller then changes nothing). */
    markEventSeen: async (e: { id: string; livemode: boolean; type: string; paymentId: string | null; receivedAt: number }): Promise<boolean> =>
      (await sql.run(
        `INSERT INTO stripe_events (id, livemode, type, payment_id, received_at) VALUES (@id, @livemode, @type, @paymentId, @receivedAt)
         ON CONFLICT (id) DO NOTHING`,
        { ...e, livemode: e.livemode ? 1 : 0 },
      )) === 1,
    insertRefund: async (r: Omit<RefundRecord, 'seq'>): Promise<void> => {
      await sql.run(
        `INSERT INTO payment_refunds (id, payment_id, amount, status, provider_reference, error, created_at, updated_at)
         VALUES (@id, @paymentId, @amount, @status, @providerReference, @error, @createdAt, @updatedAt)`,
        { ...r },
      );
    },
    refund: async (id: string): Promise<RefundRecord | undefined> => {
      const row = await sql.get<RefundRow>('SELECT * FROM payment_refunds WHERE id = @id', { id });
      return row ? toRefund(row) : undefined;
    },
    refundsOf: async (paymentId: string): Promise<RefundRecord[]> =>
      (await sql.all<RefundRow>('SELECT * FROM payment_refunds WHERE payment_id = @paymentId ORDER BY seq', { paymentId })).map(toRefund),
    /** Conditional: only a pending refund settles, once. */
    settleRefund: async (id: string, status: 'succeeded' | 'failed', providerReference: string | null, error: string | null, now: number): Promise<boolean> =>
      (await sql.run(
        `UPDATE payment_refunds SET status = @status, provider_reference = @providerReference, error = @error, updated_at = @now
         WHERE id = @id AND status = 'pending'`,
        { id, status, providerReference, error, now },
      )) === 1,
    recordRefundError: async (id: string, error: string, now: number): Promise<void> => {
      await sql.run(`UPDATE payment_refunds SET error = @error, updated_at = @now WHERE id = @id AND status = 'pending'`, { id, error, now });
    },
  };
}
