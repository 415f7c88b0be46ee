import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventKind, eventLinkId, packEvent, unpackEvent } from '../../../../../core/store/repos/event-packing';

const link = {
  id: 'pl_7fK2mQ9xLs0aB3cD4eF5gH',
  livemode: true,
  methods: null,
  type: 'payment',
  name: 'Charge Tisch 4',
  description: null,
  status: 'locked',
  enabled: true,
  pointOfSaleId: 'pos_Zq81LmNoPq2rStUvWxYz01',
  amount: '18.40',
  currency: 'EUR',
  minAmount: null,
  reuse: 'single',
  maxUses: null,
  perPaymentAmountLimit: null,
  totalAmountLimit: null,
  expiresAt: null,
  locale: 'de',
  country: null,
  metadata: {},
  refIdBase: 'K7QM2',
  reference: 'Tisch 4',
  cancellable: true,
  callbackUrl: null,
  lineItems: null,
  url: 'http://192.168.1.20:4780/de/pay-by-link/pl_7fK2mQ9xLs0aB3cD4eF5gH',
  usage: { count: 0, amount: '0.00', pendingCount: 1, remainingCount: null, remainingAmount: null },
  lockedUntil: '2026-12-01T11:02:13.512Z',
  createdAt: '2026-12-01T10:47:12.004Z',
  updatedAt: '2026-12-01T10:47:13.512Z',
};

describe('event packing', () => {
  it('gives back exactly what went in, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON has no -0: what a round trip through JSON gives is the reference.
        expect(unpackEvent(packEvent(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('stores a link event in a fraction of its JSON', () => {
    const json = Buffer.byteLength(JSON.stringify(link));
    const packed = packEvent(link).length;
    expect(unpackEvent(packEvent(link))).toEqual(link);
    expect(packed).toBeLessThan(json / 3);
  });

  it('reads events packed by earlier versions (zlib defaults, 32 KiB window) unchanged', () => {
    const packedBefore = Buffer.from('01434a46e61e1546de85963eb97ec60541a6c521682644259984275b44a61886a59a85a619b82325336ff3c008235f8cc4861c7e84925b2d00', 'hex');
    expect(unpackEvent(packedBefore)).toEqual({ id: 'pay_7Hx2Kq9LmN3pR5sT', linkId: 'pl_Zb4Wc8Yd1Ve6Uf0G', refId: 'K7QX2M-0001', status: 'succeeded', amount: '12.50', currency: 'EUR' });
  });

  it('refuses a format it does not know instead of guessing', () => {
    const packed = packEvent(link);
    packed[0] = 3;
    expect(() => unpackEvent(packed)).toThrow(/unknown format 3/);
  });

  it('packs against a base: gives back exactly what went in, for any JSON value and base', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (value, base) => {
        const baseJson = JSON.stringify(base) ?? 'null';
        expect(unpackEvent(packEvent(value, baseJson), baseJson)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('stores what changed since the base: a locked link against its link.created in a fraction of its own packing', () => {
    const created = { ...link, status: 'enabled', usage: { ...link.usage, pendingCount: 0 }, lockedUntil: null, updatedAt: link.createdAt };
    const baseJson = JSON.stringify(created);
    const delta = packEvent(link, baseJson);
    expect(unpackEvent(delta, baseJson)).toEqual(link);
    expect(delta.length).toBeLessThan(packEvent(link).length / 2);
  });

  it('packs against a base larger than the window (only its end is used) and still reads back', () => {
    const big = { ...link, description: 'x'.repeat(6000) };
    const baseJson = JSON.stringify(big);
    const other = { ...big, status: 'enabled' };
    expect(unpackEvent(packEvent(other, baseJson), baseJson)).toEqual(other);
  });

  it('refuses to read a delta without its base, or against another base', () => {
    const baseJson = JSON.stringify({ ...link, name: 'Charge Tisch 5' });
    const delta = packEvent(link, baseJson);
    expect(() => unpackEvent(delta)).toThrow(/without its base/);
    expect(() => unpackEvent(delta, JSON.stringify({ other: true }))).toThrow();
  });

  it('names the kind of an event (what its base is chosen by)', () => {
    expect(eventKind('payment.succeeded')).toBe('payment');
    expect(eventKind('point_of_sale.updated')).toBe('point_of_sale');
    expect(eventKind('odd')).toBe('');
  });

  it('names the link an event is about', () => {
    expect(eventLinkId('link.locked', link)).toBe(link.id);
    expect(eventLinkId('payment.succeeded', { id: 'pay_1', linkId: 'pl_1' })).toBe('pl_1');
    expect(eventLinkId('point_of_sale.updated', { id: 'pos_1' })).toBeNull();
    expect(eventLinkId('link.created', null)).toBeNull();
  });
});
