import type { CoreContext } from '../context';
import { DomainError, notFound } from '../errors';
import type { DisplayRecord } from '../store/store';
import { linkStatus, isPayable } from '../links/status';
import { linkView, type LinkView } from '../links/view';
import type { LinkRecord } from '../links/types';
import type { PaymentRecord } from '../payments/types';
import { paymentView, type PaymentView } from '../payments/view';
import { toIso } from '../clock';

export interface DisplayView {
  pointOfSaleId: string;
  mode: DisplayRecord['mode'];
  linkId: string | null;
  paymentId: string | null;
  /** The link on show (mode link/result), so a display needs one request, not three. */
  link: LinkView | null;
  payment: PaymentView | null;
  updatedAt: string;
}

/**
 * What each point of sale's customer-facing display shows: idle, a link's QR, or a payment
 * result for a few seconds. Changes happen inside the transactions of the payment and link
 * changes that cause them, and each emits `display.updated`.
 */
export class DisplayService {
  constructor(private readonly ctx: CoreContext) {}

  get(pointOfSaleId: string): DisplayView {
    const { store } = this.ctx;
    if (!store.pointsOfSale.get(pointOfSaleId)) throw notFound('point of sale', pointOfSaleId);
    return this.view(store.displays.get(pointOfSaleId) ?? this.idle(pointOfSaleId));
  }

  show(linkId: string): DisplayView {
    const { store, clock } = this.ctx;
    return store.tx(() => {
      const link = store.links.get(linkId);
      if (!link) throw notFound('link', linkId);
      const status = linkStatus(link, clock.now());
      if (!isPayable(status)) throw new DomainError('link-not-usable', `A link that is ${status} cannot be shown.`, { linkStatus: status });
      const pending = link.reuse === 'single' ? store.payments.pendingForLink(linkId)[0] : undefined;
      return this.put({ ...this.idle(link.pointOfSaleId), mode: 'link', linkId, paymentId: pending?.id ?? null });
    });
  }

  clear(pointOfSaleId: string): DisplayView {
    const { store } = this.ctx;
    return store.tx(() => {
      if (!store.pointsOfSale.get(pointOfSaleId)) throw notFound('point of sale', pointOfSaleId);
      return this.put(this.idle(pointOfSaleId));
    });
  }

  /** A customer started paying the link on show: the display says so. */
  onPaymentStarted(payment: PaymentRecord): void {
    for (const d of this.ctx.store.displays.showingLink(payment.linkId)) {
      if (d.mode === 'link') this.put({ ...d, paymentId: payment.id });
    }
  }

  onPaymentFinished(payment: PaymentRecord, _link: LinkRecord): void {
    const until = this.ctx.clock.now() + this.ctx.config.displayResultMs;
    for (const d of this.ctx.store.displays.showingLink(payment.linkId)) {
      this.put({ ...d, mode: 'result', paymentId: payment.id, resultUntil: until });
    }
  }

  /** The link on show was cancelled or expired. */
  onLinkClosed(linkId: string): void {
    for (const d of this.ctx.store.displays.showingLink(linkId)) {
      if (d.mode === 'link') this.put(this.idle(d.pointOfSaleId));
    }
  }

  /**
   * After a result: back to the link if it can still be paid (a declined card on a charge, the
   * next customer on a "scan to pay" poster), else idle.
   */
  settleResult(d: DisplayRecord): void {
    const link = d.linkId ? this.ctx.store.links.get(d.linkId) : undefined;
    if (link && isPayable(linkStatus(link, this.ctx.clock.now()))) {
      this.put({ ...d, mode: 'link', paymentId: null, resultUntil: null });
    } else {
      this.put(this.idle(d.pointOfSaleId));
    }
  }

  private idle(pointOfSaleId: string): DisplayRecord {
    return { pointOfSaleId, mode: 'idle', linkId: null, paymentId: null, resultUntil: null, updatedAt: this.ctx.clock.now() };
  }

  private put(d: DisplayRecord): DisplayView {
    const record = { ...d, updatedAt: this.ctx.clock.now() };
    this.ctx.store.displays.put(record);
    const view = this.view(record);
    this.ctx.events.append('display.updated', view);
    return view;
  }

  private view(d: DisplayRecord): DisplayView {
    const { store, clock, config } = this.ctx;
    const link = d.linkId ? store.links.get(d.linkId) : undefined;
    const payment = d.paymentId ? store.payments.get(d.paymentId) : undefined;
    return {
      pointOfSaleId: d.pointOfSaleId,
      mode: d.mode,
      linkId: d.linkId,
      paymentId: d.paymentId,
      link: link ? linkView(link, clock.now(), config.baseUrl) : null,
      payment: payment ? paymentView(payment) : null,
      updatedAt: toIso(d.updatedAt),
    };
  }
}
