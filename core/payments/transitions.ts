import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import { linkStatus } from '../links/status';
import { linkView } from '../links/view';
import type { DisplayService } from '../display/service';
import type { PaymentOutcome, PaymentRecord } from './types';
import { paymentViewIn } from './present';

/**
 * The one way a pending payment ends, inside the caller's transaction: the conditional UPDATE on
 * `status = 'pending'` decides the single winner (on any server), then the link's counters are
 * settled and the events appended, all or nothing.
 */
/** Runs inside the transaction that made a payment succeed (e.g. queue its receipt email). */
export type SucceededHook = (t: Tx, payment: PaymentRecord) => Promise<void>;

export class PaymentTransitions {
  private readonly succeededHooks: SucceededHook[] = [];

  constructor(
    private readonly ctx: CoreContext,
    private readonly display: DisplayService,
  ) {}

  /**
   * Registers work that belongs to a success, in its transaction: services built after this one
   * (notifications) hook in here instead of being a dependency of it.
   */
  onSucceeded(hook: SucceededHook): void {
    this.succeededHooks.push(hook);
  }

  /** `finish` in a transaction of its own. */
  finishAlone(paymentId: string, outcome: PaymentOutcome): Promise<PaymentRecord> {
    return this.ctx.store.tx((t) => this.finish(t, paymentId, outcome));
  }

  async finish(t: Tx, paymentId: string, outcome: PaymentOutcome): Promise<PaymentRecord> {
    const { clock, events, config } = this.ctx;
    const before = await t.payments.get(paymentId);
    if (!before) throw notFound('payment', paymentId);
    // Link row first, then the payment's: every path takes them in this order (no deadlocks).
    await t.links.lock(before.linkId);
    const now = clock.now();
    if (!(await t.payments.finish(paymentId, outcome, now))) {
      const current = (await t.payments.get(paymentId)) ?? before;
      throw new DomainError('payment-not-pending', `The payment is ${current.status}, no longer pending.`, { paymentStatus: current.status });
    }
    const succeeded = outcome === 'succeeded';
    // The link held (and counts) the amount without the tip: limits are about what was asked.
    await t.links.settle(before.linkId, before.amount - before.tipAmount, succeeded, now);
    const payment = (await t.payments.get(paymentId))!;
    const link = (await t.links.get(before.linkId))!;
    events.append(t, `payment.${outcome}`, await paymentViewIn(t, payment));

    const linkData = linkView(link, now, config.baseUrl);
    if (link.reuse === 'single') {
      events.append(t, succeeded ? 'link.consumed' : 'link.unlocked', linkData);
    } else if (succeeded) {
      const status = linkStatus(link, now);
      if (status === 'usage_limit_reached' || status === 'amount_limit_reached') events.append(t, 'link.limit_reached', linkData);
    }
    await this.display.onPaymentFinished(t, payment, link);
    if (succeeded) for (const hook of this.succeededHooks) await hook(t, payment);
    // Cancelled here: stop it at the provider too (Stripe: expire the session, through the outbox).
    if (outcome === 'cancelled') await this.ctx.methods.get(payment.method)?.cancel?.(t, payment);
    return payment;
  }
}
