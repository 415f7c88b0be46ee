import type { CoreContext, Tx } from './context';
import type { LinksService } from './links/service';
import type { DisplayService } from './display/service';
import type { LinkView } from './links/view';
import { Checker } from './validate';
import { chargeName } from './names';
import type { Mode } from './mode';
import type { PaymentsService } from './payments/service';
import type { PaymentView } from './payments/view';

/** A charge is its link; one started with a method also carries its payment. */
export type ChargeView = LinkView & { payment?: PaymentView };

/**
 * A charge is the counter's quick path: a single-use, short-lived link for an amount keyed in
 * by staff, put on that point of sale's customer display in the same transaction.
 */
export class ChargesService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly links: LinksService,
    private readonly display: DisplayService,
    private readonly payments: PaymentsService,
  ) {}

  create(input: Record<string, unknown>, mode: Mode = 'test'): Promise<ChargeView> {
    return this.ctx.store.tx((t) => this.createIn(t, input, mode));
  }

  /**
   * With `method` (e.g. sepa_transfer) the charge also starts its payment at once: the display
   * shows that method's code (the EPC QR) and the answer carries the payment beside the link.
   */
  async createIn(t: Tx, input: Record<string, unknown>, mode: Mode = 'test'): Promise<ChargeView> {
    const c = new Checker();
    if (input.amount === undefined || input.amount === null) c.fail('amount', 'is required');
    for (const key of Object.keys(input)) {
      if (!['amount', 'currency', 'reference', 'description', 'pointOfSaleId', 'expiresInMinutes', 'metadata', 'locale', 'method'].includes(key)) {
        c.fail(key, 'is not a charge field');
      }
    }
    c.throwIfAny();
    const reference = typeof input.reference === 'string' && input.reference !== '' ? input.reference : undefined;
    {
      const link = await this.links.createIn(t, {
        name: chargeName(input.locale ?? (await this.ctx.settings.merchant(t)).defaultLocale, reference),
        amount: input.amount,
        currency: input.currency,
        reference: input.reference,
        description: input.description,
        pointOfSaleId: input.pointOfSaleId,
        metadata: input.metadata,
        locale: input.locale,
        reuse: 'single',
        expiresInMinutes: input.expiresInMinutes ?? 15,
        ...(input.method !== undefined ? { methods: [input.method] } : {}),
      }, mode);
      await this.display.showIn(t, link.id);
      if (input.method === undefined) return link;
      const { payment, link: started } = await this.payments.startIn(t, link.id, { method: input.method });
      return { ...this.links.view(started), payment };
    }
  }
}
