import type { CoreContext, Tx } from './context';
import type { LinksService } from './links/service';
import type { DisplayService } from './display/service';
import type { LinkView } from './links/view';
import { Checker } from './validate';

/**
 * A charge is the counter's quick path: a single-use, short-lived link for an amount keyed in
 * by staff, put on that point of sale's customer display in the same transaction.
 */
export class ChargesService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly links: LinksService,
    private readonly display: DisplayService,
  ) {}

  create(input: Record<string, unknown>): Promise<LinkView> {
    return this.ctx.store.tx((t) => this.createIn(t, input));
  }

  async createIn(t: Tx, input: Record<string, unknown>): Promise<LinkView> {
    const c = new Checker();
    if (input.amount === undefined || input.amount === null) c.fail('amount', 'is required');
    for (const key of Object.keys(input)) {
      if (!['amount', 'currency', 'reference', 'description', 'pointOfSaleId', 'expiresInMinutes', 'metadata', 'locale'].includes(key)) {
        c.fail(key, 'is not a charge field');
      }
    }
    c.throwIfAny();
    const reference = typeof input.reference === 'string' && input.reference !== '' ? input.reference : undefined;
    {
      const link = await this.links.createIn(t, {
        name: reference ? `Charge ${reference}`.slice(0, 120) : 'Counter charge',
        amount: input.amount,
        currency: input.currency,
        reference: input.reference,
        description: input.description,
        pointOfSaleId: input.pointOfSaleId,
        metadata: input.metadata,
        locale: input.locale,
        reuse: 'single',
        expiresInMinutes: input.expiresInMinutes ?? 15,
      });
      await this.display.showIn(t, link.id);
      return link;
    }
  }
}
