import type { CoreContext, Tx } from '../context';
import { DomainError, notFound } from '../errors';
import type { DisplayRecord } from '../store/types';
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

  async get(pointOfSaleId: string): Promise<DisplayView> {
    await this.ctx.fresh();
    return this.ctx.store.read(async (t) => {
      if (!(await t.pointsOfSale.get(pointOfSaleId))) throw notFound('point of sale', pointOfSaleId);
      return this.view(t, (await t.displays.get(pointOfSaleId)) ?? this.idle(pointOfSaleId));
    });
  }

  async show(linkId: string): Promise<DisplayView> {
    await this.ctx.fresh();
    return this.ctx.store.tx((t) => this.showIn(t, linkId));
  }

  /** Puts a payable link on its point of sale's display, in the caller's transaction. */
  async showIn(t: Tx, linkId: string): Promise<DisplayView> {
    const link = await t.links.get(linkId);
    if (!link) throw notFound('link', linkId);
    const status = linkStatus(link, this.ctx.clock.now());
    if (!isPayable(status)) throw new DomainError('link-not-usable', `A link that is ${status} cannot be shown.`, { linkStatus: status });
    const pending = link.reuse === 'single' ? (await t.payments.pendingForLink(linkId))[0] : undefined;
    return this.put(t, { ...this.idle(link.pointOfSaleId), mode: 'link', linkId, paymentId: pending?.id ?? null });
  }

  clear(pointOfSaleId: string): Promise<DisplayView> {
    return this.ctx.store.tx(async (t) => {
      if (!(await t.pointsOfSale.get(pointOfSaleId))) throw notFound('point of sale', pointOfSaleId);
      return this.put(t, this.idle(pointOfSaleId));
    });
  }

  /** A customer started paying the link on show: the display says so. */
  async onPaymentStarted(t: Tx, payment: PaymentRecord): Promise<void> {
    for (const d of await t.displays.showingLink(payment.linkId)) {
      if (d.mode === 'link') await this.put(t, { ...d, paymentId: payment.id });
    }
  }

  async onPaymentFinished(t: Tx, payment: PaymentRecord, _link: LinkRecord): Promise<void> {
    const until = this.ctx.clock.now() + this.ctx.config.displayResultMs;
    for (const d of await t.displays.showingLink(payment.linkId)) {
      await this.put(t, { ...d, mode: 'result', paymentId: payment.id, resultUntil: until });
    }
  }

  /** The link on show was cancelled or expired. */
  async onLinkClosed(t: Tx, linkId: string): Promise<void> {
    for (const d of await t.displays.showingLink(linkId)) {
      if (d.mode === 'link') await this.put(t, this.idle(d.pointOfSaleId));
    }
  }

  /**
   * After a result: back to the link if it can still be paid (a declined card on a charge, the
   * next customer on a "scan to pay" poster), else idle.
   */
  async settleResult(t: Tx, d: DisplayRecord): Promise<void> {
    const current = await t.displays.get(d.pointOfSaleId);
    // Another server (or a newer charge) moved the display on since the sweep read it.
    if (!current || current.mode !== 'result' || current.paymentId !== d.paymentId || current.resultUntil !== d.resultUntil) return;
    const link = d.linkId ? await t.links.get(d.linkId) : undefined;
    if (link && isPayable(linkStatus(link, this.ctx.clock.now()))) {
      await this.put(t, { ...d, mode: 'link', paymentId: null, resultUntil: null });
    } else {
      await this.put(t, this.idle(d.pointOfSaleId));
    }
  }

  private idle(pointOfSaleId: string): DisplayRecord {
    return { pointOfSaleId, mode: 'idle', linkId: null, paymentId: null, resultUntil: null, updatedAt: this.ctx.clock.now() };
  }

  private async put(t: Tx, d: DisplayRecord): Promise<DisplayView> {
    const record = { ...d, updatedAt: this.ctx.clock.now() };
    await t.displays.put(record);
    const view = await this.view(t, record);
    this.ctx.events.append(t, 'display.updated', view);
    return view;
  }

  private async view(t: Tx, d: DisplayRecord): Promise<DisplayView> {
    const { clock, config } = this.ctx;
    const link = d.linkId ? await t.links.get(d.linkId) : undefined;
    const payment = d.paymentId ? await t.payments.get(d.paymentId) : undefined;
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
