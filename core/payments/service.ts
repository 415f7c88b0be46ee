import type { CoreContext, Tx } from '../context';
import { DomainError, notFound, ValidationError } from '../errors';
import { newId } from '../ids';
import { Checker, checkMetadata } from '../validate';
import { formatAmount, parseAmount } from '../money';
import { paymentRefId, REF_SEQ_MAX } from '../refid';
import { linkStatus } from '../links/status';
import { linkView } from '../links/view';
import type { DisplayService } from '../display/service';
import type { Page, PageQuery, PaymentFilter } from '../store/types';
import type { PaymentTransitions } from './transitions';
import type { PaymentOutcome, PaymentRecord } from './types';
import type { PaymentView } from './view';
import { paymentViewIn } from './present';
import { isLive, visibleIn, type Mode } from '../mode';
import type { NextStep } from './methods/port';
import type { MethodAvailability } from './methods/registry';
import type { Locale } from '../links/types';
import type { LinkRecord } from '../links/types';
import { parseTip, tipForPercent, TIPS_OFF, type TipSettings } from './tips';
import { LIMITS } from '../limits';
import type { MerchantSettings } from '../settings';

/** What a payer of a link may choose: the methods open to them and the tips offered. */
export interface PayerOffer {
  methods: string[];
  tips: TipSettings;
}

/** What the payer's page of a link shows, read at once. */
export interface PayerView {
  link: LinkRecord;
  merchant: MerchantSettings;
  offer: PayerOffer;
}

export interface StartedPayment {
  payment: PaymentView;
  link: LinkRecord;
  /** What the payer does now (API.md "Payment methods"). */
  next: NextStep;
}

export interface StartPaymentInput {
  amount?: unknown;
  /** A tip on top (money >= 0), where the link's point of sale takes tips. */
  tip?: unknown;
  /** The dialog's preset button: one of the point of sale's preset percentages of the amount. */
  tipPercent?: number;
  reference?: unknown;
  method?: unknown;
  payer?: unknown;
  /** Metadata injected through the link URL (`?data[key]=value`). */
  data?: unknown;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How often the result page may ask a payment's provider (Stripe) about it. */
export const RECONCILE_EVERY_MS = 2_000;

export class PaymentsService {
  private readonly asked = new Map<string, { at: number; answer: Promise<PaymentRecord> }>();
  constructor(
    private readonly ctx: CoreContext,
    private readonly transitions: PaymentTransitions,
    private readonly display: DisplayService,
  ) {}

  /** The stored payment after timeouts; not-found for another mode's payment when `mode` is given. */
  async record(id: string, mode?: Mode): Promise<PaymentRecord> {
    const p = await this.ctx.freshRead((t) => t.payments.get(id));
    if (!p || !visibleIn(p.livemode, mode)) throw notFound('payment', id);
    return p;
  }

  async get(id: string, mode?: Mode): Promise<PaymentView> {
    const p = await this.record(id, mode);
    return this.ctx.store.read((t) => paymentViewIn(t, p));
  }

  /** A payment as the customer's browser may see it: only through the link it belongs to. */
  async recordForLink(linkId: string, paymentId: string): Promise<PaymentRecord> {
    const p = await this.record(paymentId);
    if (p.linkId !== linkId) throw notFound('payment', paymentId);
    return p;
  }

  async list(filter: Omit<PaymentFilter, 'livemode'>, page: PageQuery, mode?: Mode): Promise<Page<PaymentView>> {
    const livemode = mode === undefined ? undefined : isLive(mode);
    return this.ctx.freshRead(async (t) => {
      const result = await t.payments.list({ ...filter, livemode }, page);
      const data: PaymentView[] = [];
      for (const p of result.data) data.push(await paymentViewIn(t, p));
      return { data, nextCursor: result.nextCursor };
    });
  }

  /** `GET /payment-methods`: every method of `mode`, and whether it can take payments now. */
  methods(mode: Mode): Promise<MethodAvailability[]> {
    return this.ctx.store.read((t) => this.ctx.methods.list(t, mode));
  }

  /**
   * What the payer of this link is offered now, in one read: the methods they can choose (the
   * dialog's chooser) and the tips (its point of sale's; off for account-info links).
   */
  offerForLink(link: LinkRecord): Promise<PayerOffer> {
    return this.ctx.store.read((t) => this.offerIn(t, link));
  }

  /**
   * Everything the payer's page of a link shows, in one fresh read: the link, the shop's settings
   * and the offer. Not-found for an unknown link (in any mode: a link URL is its capability).
   */
  async payerView(linkId: string): Promise<PayerView> {
    const view = await this.ctx.freshRead(async (t) => {
      const link = await t.links.get(linkId);
      if (!link) return undefined;
      return { link, merchant: await this.ctx.settings.merchant(t), offer: await this.offerIn(t, link) };
    });
    if (!view) throw notFound('link', linkId);
    return view;
  }

  private async offerIn(t: Tx, link: LinkRecord): Promise<PayerOffer> {
    return { methods: await this.ctx.methods.forLink(t, link), tips: await this.tipsIn(t, link) };
  }

  private async tipsIn(t: Tx, link: LinkRecord): Promise<TipSettings> {
    if (link.type !== 'payment') return { ...TIPS_OFF };
    const pos = await t.pointsOfSale.get(link.pointOfSaleId);
    return pos?.tips?.enabled ? pos.tips : { ...TIPS_OFF };
  }

  /** What the payer of a pending payment does next (the dialog's next-step page). */
  next(paymentId: string, locale?: Locale): Promise<NextStep> {
    return this.ctx.store.read(async (t) => {
      const payment = await t.payments.get(paymentId);
      if (!payment) throw notFound('payment', paymentId);
      const link = (await t.links.get(payment.linkId))!;
      const provider = this.ctx.methods.get(payment.method);
      if (!provider) throw notFound('payment', paymentId);
      return provider.next(t, payment, link, locale ?? link.locale);
    });
  }

  /**
   * A customer starts paying. One transaction: check the link can take this payment, reserve
   * one use and the amount with a conditional UPDATE (the guard against concurrent buyers),
   * allocate the refId, insert the pending payment, append events.
   */
  async start(linkId: string, input: StartPaymentInput, locale?: Locale): Promise<StartedPayment> {
    await this.ctx.fresh();
    const started = await this.ctx.store.tx((t) => this.startIn(t, linkId, input, locale));
    if (!this.ctx.methods.get(started.payment.method)?.open) return started;
    return { ...started, next: await this.open(started.payment.id, locale) };
  }

  /**
   * A started payment at its provider (Stripe: the Checkout Session), after the start transaction
   * committed: network I/O, then the provider's own short transaction. Idempotent. When the
   * provider fails, the payment ends `failed` (giving back what it held) and the answer is 503
   * `provider-unavailable`; nothing else changes. Then: what the payer does next.
   */
  async open(paymentId: string, locale?: Locale): Promise<NextStep> {
    const { payment, link } = await this.ctx.store.read(async (t) => {
      const payment = await t.payments.get(paymentId);
      if (!payment) throw notFound('payment', paymentId);
      return { payment, link: (await t.links.get(payment.linkId))! };
    });
    const provider = this.ctx.methods.get(payment.method);
    if (provider?.open && payment.status === 'pending') {
      try {
        await provider.open(payment, link, locale ?? link.locale);
      } catch (err) {
        await this.ctx.store
          .tx(async (t) => {
            const current = await t.payments.get(paymentId);
            if (current?.status === 'pending') await this.transitions.finish(t, paymentId, 'failed');
          })
          .catch(() => undefined);
        const why = err instanceof Error ? err.message : String(err);
        throw new DomainError('provider-unavailable', `The payment provider could not start this payment (${why}). Nothing was charged; try again or choose another method.`, {
          method: payment.method,
        });
      }
    }
    return this.next(paymentId, locale);
  }

  /**
   * Asks a pending payment's provider what became of it (the result page: a lost webhook must
   * never leave a paid customer looking at "pending") and applies it. Bounded by the provider's
   * own timeout; when the provider cannot tell, the payment stays as it is.
   */
  async reconcile(paymentId: string): Promise<PaymentRecord> {
    // One question to the provider per payment at a time and per RECONCILE_EVERY_MS: reloading a
    // public result page must not make the shop hammer Stripe with its own key.
    const now = this.ctx.clock.now();
    const last = this.asked.get(paymentId);
    if (last && now - last.at < RECONCILE_EVERY_MS) {
      await last.answer.catch(() => undefined);
      return this.record(paymentId);
    }
    if (this.asked.size >= 1_000) for (const [id, a] of this.asked) if (now - a.at >= RECONCILE_EVERY_MS) this.asked.delete(id);
    const answer = this.reconcileNow(paymentId);
    this.asked.set(paymentId, { at: now, answer });
    return answer;
  }

  private async reconcileNow(paymentId: string): Promise<PaymentRecord> {
    const payment = await this.record(paymentId);
    const provider = this.ctx.methods.get(payment.method);
    if (payment.status !== 'pending' || !provider?.reconcile) return payment;
    let outcome: Awaited<ReturnType<NonNullable<typeof provider.reconcile>>>;
    try {
      outcome = await provider.reconcile(payment);
    } catch {
      return payment; // the provider is away: the page shows "pending" and checks again
    }
    if (outcome === null) return payment;
    return this.ctx.store.tx(async (t) => {
      const current = (await t.payments.get(paymentId))!;
      if (current.status !== 'pending') return current;
      return this.transitions.finish(t, paymentId, outcome);
    });
  }

  /**
   * `start` inside the caller's transaction (an idempotent request saves its answer in the same
   * one). The method must be one of the link's that is available now; its provider sets the
   * payment up and says what the payer does next.
   */
  async startIn(t: Tx, linkId: string, input: StartPaymentInput, locale?: Locale): Promise<StartedPayment> {
    const { clock, events, config } = this.ctx;
    const c = new Checker();
    if (input.method !== undefined && input.method !== null && !this.ctx.methods.isKnown(input.method)) {
      c.fail('method', 'is not a payment method', 'method-unknown', { method: String(input.method) });
    }
    const reference = c.optionalText(input.reference, 'reference', LIMITS.reference) ?? null;
    let payerName: string | null = null;
    let payerEmail: string | null = null;
    if (input.payer !== undefined && input.payer !== null) {
      if (typeof input.payer !== 'object') c.fail('payer', 'must be an object {name, email}');
      else {
        const payer = input.payer as Record<string, unknown>;
        payerName = c.optionalText(payer.name, 'payer.name', LIMITS.payerName) ?? null;
        payerEmail = c.optionalText(payer.email, 'payer.email', LIMITS.email) ?? null;
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
      // The tip comes on top; every limit above and the reservation below count the amount without it.
      const tips = await this.tipsIn(t, link);
      let tip: number;
      if (input.tipPercent !== undefined) {
        if (!tips.enabled || !tips.presets.includes(input.tipPercent)) throw ValidationError.field('tip', 'is not one of the offered tips', 'tip-preset');
        tip = tipForPercent(amount, input.tipPercent);
      } else tip = parseTip(input.tip, link.currency, amount, tips);
      const method = await this.chooseMethod(t, link, input.method);
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
        amount: amount + tip,
        tipAmount: tip,
        currency: link.currency,
        method,
        reference: reference ?? link.reference,
        payerName,
        payerEmail,
        metadata: { ...injected, ...link.metadata }, // the link's own keys win
        refundedAmount: 0,
        lockExpiresAt: now + config.lockTtlMs,
        livemode: link.livemode,
        providerReference: null,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
      };
      await t.payments.insert(payment);
      const provider = this.ctx.methods.get(method)!;
      await provider.start(t, { ...payment, seq: 0 }, link);
      const saved = (await t.payments.get(payment.id))!;
      const updatedLink = (await t.links.get(link.id))!;
      const view = await paymentViewIn(t, saved);
      events.append(t, 'payment.created', view);
      if (link.reuse === 'single') events.append(t, 'link.locked', linkView(updatedLink, now, config.baseUrl));
      await this.display.onPaymentStarted(t, saved);
      const next = await provider.next(t, saved, updatedLink, locale ?? link.locale);
      return { payment: view, link: updatedLink, next };
    }
  }

  /** The outcome of a checkout (simulator, or a PSP webhook later). */
  /**
   * The outcome a provider learned (the simulator's button; later a PSP webhook). Only the
   * payment's own provider may decide it: a live payment can never be "paid" by the simulator.
   */
  async complete(paymentId: string, outcome: Exclude<PaymentOutcome, 'cancelled'>, method = 'simulator'): Promise<PaymentView> {
    await this.ctx.fresh();
    return this.ctx.store.tx(async (t) => {
      const p = await t.payments.get(paymentId);
      if (!p || p.method !== method) throw notFound('payment', paymentId);
      if (method === 'simulator' && p.livemode) throw notFound('payment', paymentId);
      return paymentViewIn(t, await this.transitions.finish(t, paymentId, outcome));
    });
  }

  /**
   * The method a payment starts with: the one asked for, if the link offers it and it is available
   * now; without one, the simulator on a test link, else the only method there is.
   */
  private async chooseMethod(t: Tx, link: LinkRecord, wanted: unknown): Promise<string> {
    const available = await this.ctx.methods.forLink(t, link);
    if (wanted !== undefined && wanted !== null) {
      if (!available.includes(wanted as never)) {
        throw new DomainError('method-unavailable', `${String(wanted)} cannot take this payment now.`, { method: wanted, available });
      }
      return wanted as string;
    }
    if (!link.livemode && available.includes('simulator')) return 'simulator';
    if (available.length === 1) return available[0]!;
    if (available.length === 0) throw new DomainError('method-unavailable', 'No payment method can take this payment now.', { available });
    throw ValidationError.field('method', `choose one of ${available.join(', ')}`);
  }

  /** The customer cancels their own payment on the dialog: only where the link allows it. */
  async cancelByPayer(linkId: string, paymentId: string): Promise<PaymentView> {
    await this.ctx.fresh();
    return this.ctx.store.tx(async (t) => {
      const p = await t.payments.get(paymentId);
      if (!p || p.linkId !== linkId) throw notFound('payment', paymentId);
      const link = (await t.links.get(linkId))!;
      if (!link.cancellable) throw new DomainError('not-cancellable', 'Payments on this link cannot be cancelled by the payer.');
      return paymentViewIn(t, await this.transitions.finish(t, p.id, 'cancelled'));
    });
  }

  async refund(paymentId: string, rawAmount: unknown, mode?: Mode): Promise<PaymentView> {
    await this.ctx.fresh();
    return this.ctx.store.tx((t) => this.refundIn(t, paymentId, rawAmount, mode));
  }

  async refundIn(t: Tx, paymentId: string, rawAmount: unknown, mode?: Mode): Promise<PaymentView> {
    const { clock, events } = this.ctx;
    {
      const p = await t.payments.get(paymentId);
      if (!p || !visibleIn(p.livemode, mode)) throw notFound('payment', paymentId);
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
      // Each refund on its own, with its time: day reports and exports count it on the day it was made.
      const refundId = newId('rf');
      await t.reports.addRefund({ id: refundId, paymentId, livemode: p.livemode, amount, currency: p.currency, createdAt: clock.now() });
      // A provider with its own money (Stripe) is sent the refund through the outbox.
      await this.ctx.methods.get(p.method)?.refund?.(t, p, amount, refundId);
      const view = await paymentViewIn(t, (await t.payments.get(paymentId))!);
      events.append(t, 'payment.refunded', view);
      return view;
    }
  }
}
