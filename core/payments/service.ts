import type { CoreContext, Tx } from '../context';
import { DomainError, notFound, ValidationError } from '../errors';
import { newId } from '../ids';
import { Checker, checkMetadata } from '../validate';
import { formatAmount, parseAmount } from '../money';
import { paymentRefId, REF_SEQ_MAX } from '../refid';
import { linkStatus } from '../links/status';
import { linkView } from '../links/view';
import type { Sweeper } from '../sweeper';
import type { DisplayService } from '../display/service';
import type { Page, PageQuery, PaymentFilter } from '../store/types';
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

  async record(id: string): Promise<PaymentRecord> {
    await this.sweeper.run();
    const p = await this.ctx.store.read((t) => t.payments.get(id));
    if (!p) throw notFound('payment', id);
    return p;
  }

  async get(id: string): Promise<PaymentView> {
    return paymentView(await this.record(id));
  }

  /** A payment as the customer's browser may see it: only through the link it belongs to. */
  async recordForLink(linkId: string, paymentId: string): Promise<PaymentRecord> {
    const p = await this.record(paymentId);
    if (p.linkId !== linkId) throw notFound('payment', paymentId);
    return p;
  }

  async list(filter: PaymentFilter, page: PageQuery): Promise<Page<PaymentView>> {
    await this.sweeper.run();
    const result = await this.ctx.store.read((t) => t.payments.list(filter, page));
    return { data: result.data.map(paymentView), nextCursor: result.nextCursor };
  }

  /**
   * A customer starts paying. One transaction: check the link can take this payment, reserve
   * one use and the amount with a conditional UPDATE (the guard against concurrent buyers),
   * allocate the refId, insert the pending payment, append events.
   */
  async start(linkId: string, input: StartPaymentInput): Promise<{ payment: PaymentView; link: LinkRecord }> {
    await this.sweeper.run();
    return this.ctx.store.tx((t) => this.startIn(t, linkId, input));
  }

  /** `start` inside the caller's transaction (an idempotent request saves its answer in the same one). */
  async startIn(t: Tx, linkId: string, input: StartPaymentInput): Promise<{ payment: PaymentView; link: LinkRecord }> {
    const { clock, events, config } = this.ctx;
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

    {
      const link = await t.links.get(linkId);
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
      if (!(await t.links.reserve(link.id, amount, now))) {
        // Another start (on this server or another) won the guard since the read above: say why.
        const current = (await t.links.get(link.id))!;
        const currentStatus = linkStatus(current, now);
        if (currentStatus === 'locked') throw new DomainError('link-locked', 'A payment for this link is already in progress.', { linkStatus: currentStatus });
        if (currentStatus !== 'enabled') throw new DomainError('link-not-usable', `The link is ${currentStatus}.`, { linkStatus: currentStatus });
        if (current.maxUses !== null && current.usedCount + current.pendingCount + 1 > current.maxUses) {
          throw new DomainError('usage-limit-reached', 'All uses of this link are taken (some payments are still in progress).');
        }
        if (current.totalAmountLimit !== null && current.usedAmount + current.pendingAmount + amount > current.totalAmountLimit) {
          throw new DomainError('amount-limit-reached', 'This payment does not fit in what is left of the link’s total amount.', {
            remainingAmount: linkView(current, now, config.baseUrl).usage.remainingAmount,
          });
        }
        throw new DomainError('conflict', 'The link changed while starting the payment; try again.');
      }

      let seq = link.nextRefSeq;
      let refId = '';
      for (;;) {
        if (seq > REF_SEQ_MAX) throw new DomainError('ref-id-exhausted', 'This link has used up its payment reference numbers.');
        refId = paymentRefId(link.refIdBase, seq);
        if (await t.refIds.claim(refId)) break;
        await t.links.bumpRefSeq(link.id); // a link base took this refId: skip it
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
      await t.payments.insert(payment);
      const saved = (await t.payments.get(payment.id))!;
      const updatedLink = (await t.links.get(link.id))!;
      events.append(t, 'payment.created', paymentView(saved));
      if (link.reuse === 'single') events.append(t, 'link.locked', linkView(updatedLink, now, config.baseUrl));
      await this.display.onPaymentStarted(t, saved);
      return { payment: paymentView(saved), link: updatedLink };
    }
  }

  /** The outcome of a checkout (simulator, or a PSP webhook later). */
  async complete(paymentId: string, outcome: Exclude<PaymentOutcome, 'cancelled'>): Promise<PaymentView> {
    await this.sweeper.run();
    return paymentView(await this.transitions.finishAlone(paymentId, outcome));
  }

  /** The customer cancels their own payment on the dialog: only where the link allows it. */
  async cancelByPayer(linkId: string, paymentId: string): Promise<PaymentView> {
    await this.sweeper.run();
    return this.ctx.store.tx(async (t) => {
      const p = await t.payments.get(paymentId);
      if (!p || p.linkId !== linkId) throw notFound('payment', paymentId);
      const link = (await t.links.get(linkId))!;
      if (!link.cancellable) throw new DomainError('not-cancellable', 'Payments on this link cannot be cancelled by the payer.');
      return paymentView(await this.transitions.finish(t, p.id, 'cancelled'));
    });
  }

  async refund(paymentId: string, rawAmount: unknown): Promise<PaymentView> {
    await this.sweeper.run();
    return this.ctx.store.tx((t) => this.refundIn(t, paymentId, rawAmount));
  }

  async refundIn(t: Tx, paymentId: string, rawAmount: unknown): Promise<PaymentView> {
    const { clock, events } = this.ctx;
    {
      const p = await t.payments.get(paymentId);
      if (!p) throw notFound('payment', paymentId);
      if (p.status !== 'succeeded' && p.status !== 'partially_refunded') {
        throw new DomainError('payment-not-refundable', `A ${p.status} payment cannot be refunded.`, { paymentStatus: p.status });
      }
      const left = p.amount - p.refundedAmount;
      const amount = rawAmount === undefined || rawAmount === null ? left : parseAmount(rawAmount, p.currency, 'amount');
      if (amount > left || !(await t.payments.refund(paymentId, amount, clock.now()))) {
        throw new DomainError('refund-exceeds-remaining', 'The refund is more than what is left to refund.', {
          refundable: formatAmount(left, p.currency),
        });
      }
      const view = paymentView((await t.payments.get(paymentId))!);
      events.append(t, 'payment.refunded', view);
      return view;
    }
  }
}
