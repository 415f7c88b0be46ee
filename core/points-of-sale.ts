import type { CoreContext, Tx } from './context';
import type { PointOfSaleRecord } from './store/types';
import { notFound } from './errors';
import { newId } from './ids';
import { Checker } from './validate';
import { isCurrency } from './currencies';
import { toIso } from './clock';
import { mainCounterName } from './names';
import { checkTipSettings, TIPS_OFF, type TipSettings } from './payments/tips';
import { LIMITS } from './limits';

export interface PointOfSaleView {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  /** Default payment methods of its links and charges; null = every method available. */
  methods: string[] | null;
  /** Tips on or off, with up to three preset percentages. */
  tips: TipSettings;
  createdAt: string;
  updatedAt: string;
}

function view(p: PointOfSaleRecord): PointOfSaleView {
  return { id: p.id, name: p.name, currency: p.currency, isDefault: p.isDefault, methods: p.methods, tips: p.tips ?? { ...TIPS_OFF }, createdAt: toIso(p.createdAt), updatedAt: toIso(p.updatedAt) };
}

/** Counters (tills) of the shop; each has a currency and its own customer display. */
export class PointsOfSaleService {
  constructor(private readonly ctx: CoreContext) {}

  /** Default methods: known ids (a mode's links keep only those that mode has); null clears them. */
  private checkMethods(c: Checker, value: unknown): string[] | null | undefined {
    if (value === null) return null;
    if (!Array.isArray(value) || value.length === 0 || value.length > LIMITS.methods) return c.fail('methods', 'must be a non-empty list of payment methods, or null', 'methods-list');
    value.forEach((m: unknown, i) => {
      if (!this.ctx.methods.isKnown(m)) c.fail(`methods[${i}]`, 'is not a payment method', 'method-unknown', { method: String(m) });
    });
    return [...new Set(value as string[])];
  }

  /** A new install gets one default point of sale, so a charge works out of the box. */
  async ensureDefault(): Promise<void> {
    const { store, clock, settings } = this.ctx;
    await store.tx(async (t) => {
      // Several servers starting at once on one new database: one of them creates it.
      await t.lock('points-of-sale.default');
      if (await t.pointsOfSale.default()) return;
      const now = clock.now();
      const merchant = await settings.merchant(t);
      const currency = merchant.defaultCurrency;
      await t.pointsOfSale.insert({ id: newId('pos'), name: mainCounterName(merchant.defaultLocale), currency, isDefault: true, methods: null, createdAt: now, updatedAt: now });
    });
  }

  async list(): Promise<PointOfSaleView[]> {
    return (await this.ctx.store.read((t) => t.pointsOfSale.list())).map(view);
  }

  async get(id: string): Promise<PointOfSaleView> {
    const p = await this.ctx.store.read((t) => t.pointsOfSale.get(id));
    if (!p) throw notFound('point of sale', id);
    return view(p);
  }

  create(input: Record<string, unknown>): Promise<PointOfSaleView> {
    return this.ctx.store.tx((t) => this.createIn(t, input));
  }

  async createIn(t: Tx, input: Record<string, unknown>): Promise<PointOfSaleView> {
    const { clock, settings, events } = this.ctx;
    const c = new Checker();
    const name = c.text(input.name, 'name', { min: 1, max: LIMITS.name });
    const currency = input.currency === undefined ? (await settings.merchant(t)).defaultCurrency : input.currency;
    if (typeof currency !== 'string' || !isCurrency(currency)) c.fail('currency', 'must be an ISO 4217 currency code');
    if (input.isDefault !== undefined && typeof input.isDefault !== 'boolean') c.fail('isDefault', 'must be true or false');
    const methods = input.methods === undefined ? undefined : this.checkMethods(c, input.methods);
    const tips = input.tips === undefined ? undefined : checkTipSettings(c, input.tips);
    c.throwIfAny();
    {
      const now = clock.now();
      if (input.isDefault === true) {
        await t.lock('points-of-sale.default');
        await t.pointsOfSale.clearDefault();
      }
      const pos: PointOfSaleRecord = { id: newId('pos'), name: name!, currency: currency as string, isDefault: input.isDefault === true, methods: methods ?? null, tips: tips ?? null, createdAt: now, updatedAt: now };
      await t.pointsOfSale.insert(pos);
      const v = view(pos);
      events.append(t, 'point_of_sale.created', v);
      return v;
    }
  }

  async update(id: string, patch: Record<string, unknown>): Promise<PointOfSaleView> {
    const { store, clock, events } = this.ctx;
    return store.tx(async (t) => {
      await t.lock('points-of-sale.default');
      const pos = await t.pointsOfSale.get(id);
      if (!pos) throw notFound('point of sale', id);
      const c = new Checker();
      const next = { ...pos, updatedAt: clock.now() };
      if (patch.name !== undefined) next.name = c.text(patch.name, 'name', { min: 1, max: LIMITS.name }) ?? pos.name;
      if (patch.currency !== undefined) {
        if (typeof patch.currency === 'string' && isCurrency(patch.currency)) next.currency = patch.currency;
        else c.fail('currency', 'must be an ISO 4217 currency code');
      }
      if (patch.methods !== undefined) next.methods = this.checkMethods(c, patch.methods) ?? null;
      if (patch.tips !== undefined) next.tips = checkTipSettings(c, patch.tips) ?? pos.tips ?? null;
      if (patch.isDefault !== undefined) {
        if (patch.isDefault === true) next.isDefault = true;
        else c.fail('isDefault', 'make another point of sale the default instead');
      }
      c.throwIfAny();
      if (next.isDefault && !pos.isDefault) await t.pointsOfSale.clearDefault();
      await t.pointsOfSale.update(next);
      const v = view(next);
      events.append(t, 'point_of_sale.updated', v);
      return v;
    });
  }
}
