import type { CoreContext } from './context';
import type { PointOfSaleRecord } from './store/store';
import { notFound } from './errors';
import { newId } from './ids';
import { Checker } from './validate';
import { isCurrency } from './currencies';
import { toIso } from './clock';

export interface PointOfSaleView {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

function view(p: PointOfSaleRecord): PointOfSaleView {
  return { id: p.id, name: p.name, currency: p.currency, isDefault: p.isDefault, createdAt: toIso(p.createdAt), updatedAt: toIso(p.updatedAt) };
}

/** Counters (tills) of the shop; each has a currency and its own customer display. */
export class PointsOfSaleService {
  constructor(private readonly ctx: CoreContext) {}

  /** A new install gets one default point of sale, so a charge works out of the box. */
  ensureDefault(): void {
    const { store, clock, settings } = this.ctx;
    store.tx(() => {
      if (store.pointsOfSale.default()) return;
      const now = clock.now();
      store.pointsOfSale.insert({ id: newId('pos'), name: 'Main counter', currency: settings.merchant().defaultCurrency, isDefault: true, createdAt: now, updatedAt: now });
    });
  }

  list(): PointOfSaleView[] {
    return this.ctx.store.pointsOfSale.list().map(view);
  }

  get(id: string): PointOfSaleView {
    const p = this.ctx.store.pointsOfSale.get(id);
    if (!p) throw notFound('point of sale', id);
    return view(p);
  }

  create(input: Record<string, unknown>): PointOfSaleView {
    const { store, clock, settings, events } = this.ctx;
    const c = new Checker();
    const name = c.text(input.name, 'name', { min: 1, max: 120 });
    const currency = input.currency === undefined ? settings.merchant().defaultCurrency : input.currency;
    if (typeof currency !== 'string' || !isCurrency(currency)) c.fail('currency', 'must be an ISO 4217 currency code');
    if (input.isDefault !== undefined && typeof input.isDefault !== 'boolean') c.fail('isDefault', 'must be true or false');
    c.throwIfAny();
    return store.tx(() => {
      const now = clock.now();
      if (input.isDefault === true) store.pointsOfSale.clearDefault();
      const pos: PointOfSaleRecord = { id: newId('pos'), name: name!, currency: currency as string, isDefault: input.isDefault === true, createdAt: now, updatedAt: now };
      store.pointsOfSale.insert(pos);
      const v = view(pos);
      events.append('point_of_sale.created', v);
      return v;
    });
  }

  update(id: string, patch: Record<string, unknown>): PointOfSaleView {
    const { store, clock, events } = this.ctx;
    return store.tx(() => {
      const pos = store.pointsOfSale.get(id);
      if (!pos) throw notFound('point of sale', id);
      const c = new Checker();
      const next = { ...pos, updatedAt: clock.now() };
      if (patch.name !== undefined) next.name = c.text(patch.name, 'name', { min: 1, max: 120 }) ?? pos.name;
      if (patch.currency !== undefined) {
        if (typeof patch.currency === 'string' && isCurrency(patch.currency)) next.currency = patch.currency;
        else c.fail('currency', 'must be an ISO 4217 currency code');
      }
      if (patch.isDefault !== undefined) {
        if (patch.isDefault === true) next.isDefault = true;
        else c.fail('isDefault', 'make another point of sale the default instead');
      }
      c.throwIfAny();
      if (next.isDefault && !pos.isDefault) store.pointsOfSale.clearDefault();
      store.pointsOfSale.update(next);
      const v = view(next);
      events.append('point_of_sale.updated', v);
      return v;
    });
  }
}
