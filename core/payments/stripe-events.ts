/**
 * What Stripe tells us and what we tell Stripe later: signed webhook events applied once each,
 * and the outbox deliveries (refunds, expiring a cancelled payment's session) that survive the
 * network being down. Every outcome ends in `PaymentTransitions.finish`.
 */
import Stripe from 'stripe';
import type { CoreContext, Tx } from '../context';
import { DomainError } from '../errors';
import { MODES, modeOf, type Mode } from '../mode';
import { OutboxWorker } from '../outbox/outbox';
import type { DeliveryResult, OutboxHandler } from '../outbox/types';
import type { PaymentTransitions } from './transitions';
import type { PaymentOutcome } from './types';
import { paymentViewIn } from './present';
import { retryable, STRIPE_EXPIRE_KIND, STRIPE_REFUND_KIND, stripeErrorText, stripeSettings, type StripeGateway } from './methods/stripe';

/** Stripe signs each event with a timestamp; older than this is refused (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Stripe's retry schedule is its own; ours for refunds and expiries: minutes to a day. */
export const DEFAULT_STRIPE_RETRY_SCHEDULE = [30, 60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];

/** The payment outcome a Stripe event means (API.md "Stripe"); null: not ours to act on (pure). */
export function eventOutcome(type: string, session: { payment_status?: string | null }): Exclude<PaymentOutcome, 'cancelled'> | null {
  switch (type) {
    case 'checkout.session.completed':
      return session.payment_status === 'paid' || session.payment_status === 'no_payment_required' ? 'succeeded' : null;
    case 'checkout.session.async_payment_succeeded':
      return 'succeeded';
    case 'checkout.session.async_payment_failed':
      return 'failed';
    case 'checkout.session.expired':
      return 'abandoned';
    default:
      return null;
  }
}

export type WebhookResult = { received: true; applied: boolean; reason?: string };

interface RefundPayload {
  refundId: string;
}
interface ExpirePayload {
  paymentId: string;
}

export class StripeEvents {
  /** Sends refunds to Stripe. */
  readonly refundWorker: OutboxWorker<RefundPayload>;
  /** Expires the Checkout Session of a payment cancelled here. */
  readonly expireWorker: OutboxWorker<ExpirePayload>;
  /** A client only for `webhooks.constructEvent` (no requests are made with it). */
  private readonly verifier = new Stripe('sk_test_signature_verification_only');

  constructor(
    private readonly ctx: CoreContext,
    private readonly gateway: StripeGateway,
    private readonly transitions: PaymentTransitions,
  ) {
    const retrySchedule = ctx.config.retrySchedule ?? DEFAULT_STRIPE_RETRY_SCHEDULE;
    this.refundWorker = new OutboxWorker(ctx, this.refundHandler(), { retrySchedule, leaseMs: 60_000, concurrency: 2 });
    this.expireWorker = new OutboxWorker(ctx, this.expireHandler(), { retrySchedule, leaseMs: 60_000, concurrency: 2 });
  }

  /**
   * `POST /hooks/stripe`: the raw body verified against each mode's webhook secret (5 minutes'
   * tolerance on our clock); the event's livemode must be the secret's mode. Applied once: the
   * event id is stored in the transaction of its outcome. Forged or stale: 400, nothing changes.
   */
  async handleWebhook(rawBody: string | Buffer, signature: string | undefined): Promise<WebhookResult> {
    if (!signature) throw new DomainError('webhook-signature-invalid', 'The Stripe-Signature header is missing.');
    const settings = await this.ctx.store.read((t) => stripeSettings(this.ctx.settings, t));
    const receivedAt = this.ctx.clock.now(); // milliseconds, on our clock
    let event: Stripe.Event | undefined;
    let mode: Mode | undefined;
    for (const m of MODES) {
      const secret = settings[m].webhookSecret;
      if (!secret) continue;
      try {
        event = this.verifier.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS, undefined, receivedAt);
        mode = m;
        break;
      } catch {
        // not this mode's secret (or forged, or stale): try the other
      }
    }
    if (!event || !mode) throw new DomainError('webhook-signature-invalid', 'The Stripe-Signature does not verify with a configured webhook secret within 5 minutes.');
    if (event.livemode !== (mode === 'live')) {
      throw new DomainError('webhook-signature-invalid', `A ${event.livemode ? 'live' : 'test'}-mode event signed with the ${mode}-mode webhook secret.`);
    }
    const object = (event.data?.object ?? {}) as { id?: string; object?: string; client_reference_id?: string | null; metadata?: Record<string, string> | null; payment_status?: string; payment_intent?: string | { id: string } | null };
    const outcome = object.object === 'checkout.session' ? eventOutcome(event.type, object) : null;
    const paymentId = object.object === 'checkout.session' ? (object.client_reference_id ?? object.metadata?.paymentId ?? null) : null;
    const livemode = mode === 'live';
    return this.ctx.store.tx(async (t): Promise<WebhookResult> => {
      if (!(await t.stripe.markEventSeen({ id: event.id, livemode, type: event.type, paymentId, receivedAt: this.ctx.clock.now() }))) {
        return { received: true, applied: false, reason: 'duplicate' };
      }
      if (!paymentId || (outcome === null && !object.payment_intent)) return { received: true, applied: false, reason: 'ignored' };
      const payment = await t.payments.get(paymentId);
      const session = payment ? await t.stripe.session(payment.id) : undefined;
      // Only the payment this session belongs to, in the event's own mode.
      if (!payment || payment.method !== 'stripe' || payment.livemode !== livemode || !session || session.sessionId !== object.id) {
        return { received: true, applied: false, reason: 'unknown-payment' };
      }
      const pi = typeof object.payment_intent === 'string' ? object.payment_intent : (object.payment_intent?.id ?? null);
      if (pi && !session.paymentIntent) await t.stripe.setPaymentIntent(payment.id, pi);
      if (outcome === null) return { received: true, applied: false, reason: 'ignored' };
      if (payment.status !== 'pending') {
        // The customer paid at Stripe a payment that ended here (cancelled, or lapsed) just before:
        // the money was taken, so staff must see it and refund it in the Stripe dashboard.
        if (outcome === 'succeeded' && payment.status !== 'succeeded') {
          this.ctx.events.append(t, 'payment.paid_after_end', { ...(await paymentViewIn(t, payment)), providerReference: session.sessionId });
        }
        return { received: true, applied: false, reason: `payment-${payment.status}` };
      }
      try {
        await this.transitions.finish(t, payment.id, outcome);
      } catch (err) {
        // Ended meanwhile (the result page asked Stripe first): nothing to do, and no retry needed.
        if (err instanceof DomainError && err.type === 'payment-not-pending') return { received: true, applied: false, reason: 'payment-not-pending' };
        throw err;
      }
      return { received: true, applied: true };
    });
  }

  private async keyFor(t: Tx, livemode: boolean): Promise<string | null> {
    return (await stripeSettings(this.ctx.settings, t))[modeOf(livemode)].secretKey;
  }

  private refundHandler(): OutboxHandler<RefundPayload> {
    const { ctx, gateway } = this;
    const settle = async (t: Tx, refundId: string, status: 'succeeded' | 'failed', reference: string | null, error: string | null) => {
      const refund = await t.stripe.refund(refundId);
      if (!refund || !(await t.stripe.settleRefund(refundId, status, reference, error, ctx.clock.now()))) return;
      const payment = await t.payments.get(refund.paymentId);
      if (!payment) return;
      // Refused for good: the amount is refundable again.
      if (status === 'failed') {
        await t.payments.unrefund(payment.id, refund.amount, ctx.clock.now());
        await t.reports.removeRefund(refund.id);
      }
      ctx.events.append(t, status === 'succeeded' ? 'payment.refund_succeeded' : 'payment.refund_failed', await paymentViewIn(t, (await t.payments.get(payment.id))!));
    };
    return {
      kind: STRIPE_REFUND_KIND,
      deliver: async (message): Promise<DeliveryResult> => {
        const state = await ctx.store.read(async (t) => {
          const refund = await t.stripe.refund(message.payload.refundId);
          const payment = refund ? await t.payments.get(refund.paymentId) : undefined;
          return { refund, payment, session: payment ? await t.stripe.session(payment.id) : undefined, key: payment ? await this.keyFor(t, payment.livemode) : null };
        });
        if (!state.refund || state.refund.status !== 'pending') return { ok: true, info: { skipped: true } };
        if (!state.session) return { ok: false, retryable: false, error: 'The payment has no Stripe Checkout Session.' };
        if (!state.key) return { ok: false, retryable: true, error: 'Stripe is not set up for this mode.' };
        try {
          const client = gateway.client(state.key);
          let pi = state.session.paymentIntent;
          if (!pi) {
            const s = await client.checkout.sessions.retrieve(state.session.sessionId);
            pi = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
            if (!pi) return { ok: false, retryable: false, error: 'Stripe shows no payment for this session.' };
          }
          const refund = await client.refunds.create({ payment_intent: pi, amount: state.refund.amount }, { idempotencyKey: state.refund.id });
          if (refund.status === 'failed' || refund.status === 'canceled') {
            return { ok: false, retryable: false, statusCode: 200, error: `Stripe refused the refund: ${refund.failure_reason ?? refund.status}`, info: { stripeRefundId: refund.id } };
          }
          return { ok: true, statusCode: 200, info: { stripeRefundId: refund.id } };
        } catch (err) {
          return { ok: false, retryable: retryable(err), statusCode: (err as { statusCode?: number }).statusCode ?? null, error: stripeErrorText(err) };
        }
      },
      async onSucceeded(t, message, result) {
        await settle(t, message.payload.refundId, 'succeeded', (result.info?.stripeRefundId as string | undefined) ?? null, null);
      },
      async onFailed(t, message, result, final) {
        if (final) await settle(t, message.payload.refundId, 'failed', (result.info?.stripeRefundId as string | undefined) ?? null, result.error ?? 'failed');
        else await t.stripe.recordRefundError(message.payload.refundId, result.error ?? 'failed', ctx.clock.now());
      },
    };
  }

  private expireHandler(): OutboxHandler<ExpirePayload> {
    const { ctx, gateway } = this;
    return {
      kind: STRIPE_EXPIRE_KIND,
      deliver: async (message): Promise<DeliveryResult> => {
        const state = await ctx.store.read(async (t) => {
          const payment = await t.payments.get(message.payload.paymentId);
          return { payment, session: await t.stripe.session(message.payload.paymentId), key: payment ? await this.keyFor(t, payment.livemode) : null };
        });
        if (!state.payment || !state.session) return { ok: true, info: { skipped: true } };
        if (!state.key) return { ok: false, retryable: true, error: 'Stripe is not set up for this mode.' };
        try {
          await gateway.client(state.key).checkout.sessions.expire(state.session.sessionId);
          return { ok: true, statusCode: 200 };
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 400) {
            // Not open any more: expired already is fine; completed means the customer paid a cancelled payment.
            const s = await gateway.client(state.key).checkout.sessions.retrieve(state.session.sessionId).catch(() => undefined);
            if (s?.status === 'expired') return { ok: true, statusCode: 200 };
            return { ok: false, retryable: false, statusCode: 400, error: `The session could not be expired (${s?.status ?? 'unknown'}): check it in the Stripe dashboard. ${stripeErrorText(err)}` };
          }
          return { ok: false, retryable: retryable(err), statusCode: status ?? null, error: stripeErrorText(err) };
        }
      },
    };
  }
}
