import type { CoreContext } from '../context';
import { DomainError, notFound, ValidationError } from '../errors';
import { newId } from '../ids';
import { Checker, checkMetadata } from '../validate';
import { formatAmount, parseAmount } from '../money';
import { paymentRefId, REF_SEQ_MAX } from '../refid';
import { linkStatus } from '../links/status';
import { linkView } from '../links/view';
import type { Sweeper } from '../sweeper';
import type { DisplayService } from '../display/service';
import type { Page, PageQuery, PaymentFilter } from '../store/store';
import type { PaymentTransitions } from './transitions';
import { PAYMENT_METHODS, type PaymentOutcome, type PaymentRecord } from './types';
import { paymentView, type PaymentView } from './view';
import type { LinkRecord } from '../links/types';

export interface StartPaymentInput {
  amount?: unknown;
  reference?: unknown;
  method?: unknown;
  payer?: unknown;
  /** Metadata injected through the link URL (`?data[key]=value`). */
  data?: unknown;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class PaymentsService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly sweeper: Sweeper,
    private readonly transitions: PaymentTransitions,
    private readonly display: DisplayService,
  ) {}

  record(id: string): PaymentRecord {
    this.sweeper.run();
    const p = this.ctx.store.payments.get(id);
    if (!p) throw notFound('payment', id);
    return p;
  }

  get(id: string): PaymentView {
    return paymentView(this.record(id));
  }

  /** A payment as the customer's browser may see it: only through the link it belongs to. */
  recordForLink(linkId: string, paymentId: string): PaymentRecord {
    const p = this.record(paymentId);
    if (p.linkId !== linkId) throw notFound('payment', paymentId);
    return p;
  }

  list(filter: PaymentFilter, page: PageQuery): Page<PaymentView> {
    this.sweeper.run();
    const result = this.ctx.store.payments.list(filter, page);
    return { data: result.data.map(paymentView), nextCursor: result.nextCursor };
  }

  /**
   * A customer starts paying. One transaction: check the link can take this payment, reserve
   * one use and the amount with a conditional UPDATE (the guard against concurrent buyers),
   * allocate the refId, insert the pending payment, append events.
   */
  start(linkId: string, input: StartPaymentInput): { payment: PaymentView; link: LinkRecord } {
    const { store, clock, events, config } = this.ctx;
    this.sweeper.run();
    const c = new Checker();
    const method = input.method === undefined ? 'simulator' : input.method;
    if (!PAYMENT_METHODS.includes(method as never)) c.fail('method', `must be one of ${PAYMENT_METHODS.join(', ')}`);
    const reference = c.optionalText(input.reference, 'reference', 140) ?? null;
    let payerName: string | null = null;
    let payerEmail: string | null = null;
    if (input.payer !== undefined && input.payer !== null) {
      if (typeof input.payer !== 'object') c.fail('payer', 'must be an object {name, email}');
      else {
        const payer = input.payer as Record<string, unknown>;
        payerName = c.optionalText(payer.name, 'payer.name', 120) ?? null;
        payerEmail = c.optionalText(payer.email, 'payer.email', 254) ?? null;
        if (payerEmail !== null && !EMAIL.test(payerEmail)) c.fail('payer.email', 'must be an email address');
      }
    }
    const injected = input.data === undefined || input.data === null ? {} : (checkMetadata(c, input.data, 'data') ?? {});
    c.throwIfAny();

    return store.tx(() => {
      const link = store.links.get(linkId);
      if (!link) throw notFound('link', linkId);
      const now = clock.now();
      const status = linkStatus(link, now);
      if (link.type !== 'payment') {
        throw new DomainError('link-not-usable', 'This link collects account details, not payments.', { linkStatus: status });
      }
      if (status === 'locked') throw new DomainError('link-locked', 'A payment for this link is already in progress.', { linkStatus: status });
      if (status !== 'enabled') throw new DomainError('link-not-usable', `The link is ${status}.`, { linkStatus: status });

      let amount: number;
      if (link.amount !== null) {
        amount = link.amount; // a fixed amount is what it says; an amount sent along is ignored
      } else {
        if (input.amount === undefined || input.amount === null || input.amount === '') {
          throw ValidationError.field('amount', 'enter the amount to pay');
        }
        amount = parseAmount(input.amount, link.currency, 'amount');
      }
      if (link.minAmount !== null && amount < link.minAmount) {
        throw new DomainError('amount-too-low', 'The amount is below the minimum for this link.', { minAmount: linkView(link, now, config.baseUrl).minAmount });
      }
      if (link.perPaymentLimit !== null && amount > link.perPaymentLimit) {
        throw new DomainError('per-payment-limit-exceeded', 'The amount is above the limit for one payment on this link.', {
          perPaymentAmountLimit: linkView(link, now, config.baseUrl).perPaymentAmountLimit,
        });
      }
      if (link.maxUses !== null && link.usedCount + link.pendingCount + 1 > link.maxUses) {
        throw new DomainError('usage-limit-reached', 'All uses of this link are taken (some payments are still in progress).');
      }
      if (link.totalAmountLimit !== null && link.usedAmount + link.pendingAmount + amount > link.totalAmountLimit) {
        throw new DomainError('amount-limit-reached', 'This payment does not fit in what is left of the link’s total amount.', {
          remainingAmount: linkView(link, now, config.baseUrl).usage.remainingAmount,
        });
      }
      if (!store.links.reserve(link.id, amount, now)) {
        throw new DomainError('conflict', 'The link changed while starting the payment; try again.');
      }

      let seq = link.nextRefSeq;
      let refId = '';
      for (;;) {
        if (seq > REF_SEQ_MAX) throw new DomainError('ref-id-exhausted', 'This link has used up its payment reference numbers.');
        refId = paymentRefId(link.refIdBase, seq);
        if (store.refIds.claim(refId)) break;
        store.links.bumpRefSeq(link.id); // a link base took this refId: skip it
        seq += 1;
      }

      const payment: Omit<PaymentRecord, 'seq'> = {
        id: newId('pay'),
        linkId: link.id,
        refId,
        status: 'pending',
        amount,
        currency: link.currency,
        method: method as string,
        reference: reference ?? link.reference,
        payerName,
        payerEmail,
        metadata: { ...injected, ...link.metadata }, // the link's own keys win
        refundedAmount: 0,
        lockExpiresAt: now + config.lockTtlMs,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
      };
      store.payments.insert(payment);
      const saved = store.payments.get(payment.id)!;
      const updatedLink = store.links.get(link.id)!;
      events.append('payment.created', paymentView(saved));
      if (link.reuse === 'single') events.append('link.locked', linkView(updatedLink, now, config.baseUrl));
      this.display.onPaymentStarted(saved);
      return { payment: paymentView(saved), link: updatedLink };
    });
  }

  /** The outcome of a checkout (simulator, or a PSP webhook later). */
  complete(paymentId: string, outcome: Exclude<PaymentOutcome, 'cancelled'>): PaymentView {
    this.sweeper.run();
    return paymentView(this.transitions.finish(paymentId, outcome));
  }

  /** The customer cancels their own payment on the dialog: only where the link allows it. */
  cancelByPayer(linkId: string, paymentId: string): PaymentView {
    this.sweeper.run();
    return this.ctx.store.tx(() => {
      const p = this.recordForLink(linkId, paymentId);
      const link = this.ctx.store.links.get(linkId)!;
      if (!link.cancellable) throw new DomainError('not-cancellable', 'Payments on this link cannot be cancelled by the payer.');
      return paymentView(this.transitions.finish(p.id, 'cancelled'));
    });
  }

  refund(paymentId: string, rawAmount: unknown): PaymentView {
    const { store, clock, events } = this.ctx;
    this.sweeper.run();
    return store.tx(() => {
      const p = store.payments.get(paymentId);
      if (!p) throw notFound('payment', paymentId);
      if (p.status !== 'succeeded' && p.status !== 'partially_refunded') {
        throw new DomainError('payment-not-refundable', `A ${p.status} payment cannot be refunded.`, { paymentStatus: p.status });
      }
      const left = p.amount - p.refundedAmount;
      const amount = rawAmount === undefined || rawAmount === null ? left : parseAmount(rawAmount, p.currency, 'amount');
      if (amount > left || !store.payments.refund(paymentId, amount, clock.now())) {
        throw new DomainError('refund-exceeds-remaining', 'The refund is more than what is left to refund.', {
          refundable: formatAmount(left, p.currency),
        });
      }
      const view = paymentView(store.payments.get(paymentId)!);
      events.append('payment.refunded', view);
      return view;
    });
  }
}
