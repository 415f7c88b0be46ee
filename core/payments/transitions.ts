import type { CoreContext } from '../context';
import { DomainError, notFound } from '../errors';
import { linkStatus } from '../links/status';
import { linkView } from '../links/view';
import type { DisplayService } from '../display/service';
import type { PaymentOutcome, PaymentRecord } from './types';
import { paymentView } from './view';

/**
 * The one way a pending payment ends. Always runs inside a transaction (nested calls become
 * savepoints): the conditional UPDATE on `status = 'pending'` decides the single winner, then
 * the link's counters are settled and the events appended, all or nothing.
 */
export class PaymentTransitions {
  constructor(
    private readonly ctx: CoreContext,
    private readonly display: DisplayService,
  ) {}

  finish(paymentId: string, outcome: PaymentOutcome): PaymentRecord {
    const { store, clock, events, config } = this.ctx;
    return store.tx(() => {
      const before = store.payments.get(paymentId);
      if (!before) throw notFound('payment', paymentId);
      const now = clock.now();
      if (!store.payments.finish(paymentId, outcome, now)) {
        throw new DomainError('payment-not-pending', `The payment is ${before.status}, no longer pending.`, { paymentStatus: before.status });
      }
      const succeeded = outcome === 'succeeded';
      store.links.settle(before.linkId, before.amount, succeeded, now);
      const payment = store.payments.get(paymentId)!;
      const link = store.links.get(before.linkId)!;
      events.append(`payment.${outcome}`, paymentView(payment));

      const linkData = linkView(link, now, config.baseUrl);
      if (link.reuse === 'single') {
        events.append(succeeded ? 'link.consumed' : 'link.unlocked', linkData);
      } else if (succeeded) {
        const status = linkStatus(link, now);
        if (status === 'usage_limit_reached' || status === 'amount_limit_reached') events.append('link.limit_reached', linkData);
      }
      this.display.onPaymentFinished(payment, link);
      return payment;
    });
  }
}
