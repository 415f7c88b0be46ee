import type { CoreContext } from '../context';
import { DomainError } from '../errors';
import type { EventView } from '../events';
import { isPayable } from '../links/status';
import type { LinkView } from '../links/view';
import type { LinksService } from '../links/service';
import type { PointsOfSaleService } from '../points-of-sale';
import type { DisplayService, DisplayView } from './service';
import type { BankTransferInstructions } from '../payments/methods/port';

const IDLE_SETTING = 'staffDisplays';

type DisplayConfig = Record<string, { idleLinkId: string | null }>;

/** What a counter display may know about a link: what the customer sees anyway. */
export interface PublicLink {
  name: string;
  description: string | null;
  reference: string | null;
  amount: string | null;
  minAmount: string | null;
  currency: string;
  url: string;
  expiresAt: string | null;
  locale: string;
}

/**
 * The public, read-only state of one point of sale's customer display. It carries nothing the
 * display does not put on screen: no payer data, no metadata, no ids besides the point of sale's.
 */
export interface PublicDisplayState {
  pointOfSaleId: string;
  /** `paying`: a customer has started paying the link on show. */
  mode: 'idle' | 'link' | 'paying' | 'result';
  merchantName: string;
  /** Language for the customer: the link's when one is on show, else the merchant's default. */
  locale: string;
  link: PublicLink | null;
  result: { status: string; amount: string; currency: string } | null;
  /** The reusable link shown while idle, when one is chosen and can be paid. */
  idleLink: PublicLink | null;
  updatedAt: string;
  /** For a display whose clock is off: time left = expiresAt - serverTime, counted locally. */
  serverTime: string;
  /**
   * A charge paid by bank transfer: the display shows the EPC QR itself, to be scanned with a
   * banking app, with the amount, the holder and the reference.
   */
  bankTransfer: PublicBankTransfer | null;
  /** The mode of the link on show (a test charge is marked TEST on the display); null when idle. */
  livemode: boolean | null;
}

/** The transfer instructions a counter display shows (`epcQrUrl` is public, like the payment's status). */
export type PublicBankTransfer = Omit<BankTransferInstructions, 'refId' | 'holdUntil'>;

function publicLink(link: LinkView): PublicLink {
  return {
    name: link.name,
    description: link.description,
    reference: link.reference,
    amount: link.amount,
    minAmount: link.minAmount,
    currency: link.currency,
    url: link.url,
    expiresAt: link.expiresAt,
    locale: link.locale,
  };
}

/**
 * The customer display as the public sees it, and the idle link per point of sale (the "scan to
 * pay" QR of a shop at rest), kept in settings.
 */
export class PublicDisplayService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly display: DisplayService,
    private readonly links: LinksService,
    private readonly pointsOfSale: PointsOfSaleService,
  ) {}

  private async all(): Promise<DisplayConfig> {
    return (await this.ctx.store.read((t) => this.ctx.settings.stored<DisplayConfig>(t, IDLE_SETTING))) ?? {};
  }

  async idleLinkId(posId: string): Promise<string | null> {
    return (await this.all())[posId]?.idleLinkId ?? null;
  }

  /** The idle link as the display shows it: only while it can be paid. */
  async idleLink(posId: string): Promise<LinkView | null> {
    const id = await this.idleLinkId(posId);
    if (!id) return null;
    try {
      const link = await this.links.get(id);
      return isPayable(link.status) ? link : null;
    } catch {
      return null;
    }
  }

  async list(): Promise<{ pointOfSaleId: string; name: string; idleLinkId: string | null; path: string }[]> {
    const config = await this.all();
    return (await this.pointsOfSale.list()).map((p) => ({ pointOfSaleId: p.id, name: p.name, idleLinkId: config[p.id]?.idleLinkId ?? null, path: `/display/${p.id}` }));
  }

  /** Chooses (or with null clears) the idle link; the display hears of it at once (display.updated). */
  async setIdleLink(posId: string, idleLinkId: string | null): Promise<{ pointOfSaleId: string; name: string; idleLinkId: string | null; path: string }> {
    const pos = await this.pointsOfSale.get(posId);
    if (idleLinkId !== null) {
      const link = await this.links.get(idleLinkId);
      if (link.reuse !== 'multiple' || link.type !== 'payment') {
        throw new DomainError('link-not-usable', 'Only a reusable payment link can stay on the display.', { linkStatus: link.status });
      }
      if (!isPayable(link.status)) throw new DomainError('link-not-usable', `A link that is ${link.status} cannot be shown.`, { linkStatus: link.status });
    }
    const { store, events, settings } = this.ctx;
    const view = await this.display.get(posId);
    await store.tx(async (t) => {
      await t.lock(IDLE_SETTING);
      const current = (await settings.stored<DisplayConfig>(t, IDLE_SETTING)) ?? {};
      await settings.save(t, IDLE_SETTING, { ...current, [posId]: { idleLinkId } });
      events.append(t, 'display.updated', view);
    });
    return { pointOfSaleId: pos.id, name: pos.name, idleLinkId, path: `/display/${pos.id}` };
  }

  /** The display of `posId` right now, as the public may see it. */
  async state(posId: string): Promise<PublicDisplayState> {
    return this.publicState(await this.display.get(posId));
  }

  async publicState(view: DisplayView): Promise<PublicDisplayState> {
    const merchant = await this.ctx.settings.readMerchant();
    const idle = await this.idleLink(view.pointOfSaleId);
    const link = view.mode === 'idle' ? null : view.link;
    const payment = view.payment;
    const mode = view.mode === 'link' && payment?.status === 'pending' ? 'paying' : view.mode;
    let bankTransfer: PublicBankTransfer | null = null;
    if (mode === 'paying' && payment?.method === 'sepa_transfer') {
      const transfer = await this.ctx.store.read((t) => t.bank.transfer(payment.id));
      if (transfer) {
        bankTransfer = {
          accountHolder: transfer.accountHolder,
          iban: transfer.iban,
          bic: transfer.bic,
          amount: payment.amount,
          currency: payment.currency,
          creditorReference: transfer.creditorReference,
          epcQrUrl: `${this.ctx.config.baseUrl}/pay-by-link/${encodeURIComponent(payment.linkId)}/payments/${encodeURIComponent(payment.id)}/epc-qr`,
        };
      }
    }
    return {
      bankTransfer,
      livemode: link ? link.livemode : null,
      pointOfSaleId: view.pointOfSaleId,
      mode,
      merchantName: merchant.merchantName,
      locale: link?.locale ?? merchant.defaultLocale,
      link: link ? publicLink(link) : null,
      result: view.mode === 'result' && payment ? { status: payment.status, amount: payment.amount, currency: payment.currency } : null,
      idleLink: idle ? publicLink(idle) : null,
      updatedAt: view.updatedAt,
      serverTime: new Date(this.ctx.clock.now()).toISOString(),
    };
  }

  /** Whether this event can change what the display of `posId` shows. */
  concerns(event: EventView, posId: string, idleLinkId: string | null): boolean {
    const data = event.data as { pointOfSaleId?: unknown; id?: unknown } | null;
    if (event.type === 'display.updated') return data?.pointOfSaleId === posId;
    if (event.type === 'point_of_sale.updated') return data?.id === posId;
    return idleLinkId !== null && event.type.startsWith('link.') && data?.id === idleLinkId;
  }
}
