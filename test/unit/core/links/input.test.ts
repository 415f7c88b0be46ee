import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorPaths, eventTypes, expectProblem, expectValidation, makeCore, START, LOCK_TTL_MS, BASE_URL, type TestCore } from '../../../support/core';
import type { LinkInput } from '../../../../core/links/input';

let t: TestCore;
beforeEach(async () => {
  t = await makeCore();
});
afterEach(() => t.core.close());

const create = (input: LinkInput) => t.core.links.create(input);
const paths = (input: LinkInput) => errorPaths(() => create(input));

describe('create: defaults and the link object', () => {
  it('a minimal link is a single-use payment link in the default currency, enabled', async () => {
    const link = await create({ name: 'Coffee', amount: '3.5' });
    const pos = (await t.core.pointsOfSale.list()).find((p) => p.isDefault)!;
    expect(link).toMatchObject({
      type: 'payment',
      name: 'Coffee',
      description: null,
      status: 'enabled',
      enabled: true,
      pointOfSaleId: pos.id,
      amount: '3.50',
      currency: 'EUR',
      minAmount: null,
      reuse: 'single',
      maxUses: null,
      perPaymentAmountLimit: null,
      totalAmountLimit: null,
      expiresAt: null,
      locale: 'en',
      country: null,
      metadata: {},
      reference: null,
      cancellable: true,
      callbackUrl: null,
      usage: { count: 0, amount: '0.00', pendingCount: 0, remainingCount: null, remainingAmount: null },
      lockedUntil: null,
      createdAt: START,
      updatedAt: START,
    });
    expect(link.id).toMatch(/^pl_[0-9A-Za-z]{22}$/);
    expect(link.url).toBe(`${BASE_URL}/en/pay-by-link/${link.id}`);
    expect(await t.core.links.get(link.id)).toEqual(link);
  });

  it('ids are unguessable and distinct', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await create({ name: `L${i}` })).id);
    expect(ids.size).toBe(50);
  });

  it('an open-amount link has no amount', async () => {
    const link = await create({ name: 'Tip jar', reuse: 'multiple', minAmount: '1' });
    expect(link.amount).toBeNull();
    expect(link.minAmount).toBe('1.00');
  });

  it('uses the currency exponent of the link currency', async () => {
    expect((await create({ name: 'Y', amount: '1200', currency: 'JPY' })).amount).toBe('1200');
    expect((await create({ name: 'B', amount: '1.5', currency: 'BHD' })).amount).toBe('1.500');
    expect(await paths({ name: 'Y', amount: '1.5', currency: 'JPY' })).toEqual(['amount']);
  });

  it('the url carries the locale', async () => {
    const link = await create({ name: 'Kaffee', locale: 'de' });
    expect(link.url).toBe(`${BASE_URL}/de/pay-by-link/${link.id}`);
  });

  it('appends link.created with the link as data', async () => {
    const link = await create({ name: 'E' });
    const events = (await t.core.events.after(0, 100)).filter((e) => e.type === 'link.created');
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual(link);
  });

  it('line items add up to the amount', async () => {
    const link = await create({ name: 'Order', lineItems: [{ name: 'Tea', quantity: 2, unitAmount: '2.50' }, { name: 'Cake', unitAmount: '4' }] });
    expect(link.amount).toBe('9.00');
    expect(link.lineItems).toEqual([
      { name: 'Tea', quantity: 2, unitAmount: '2.50' },
      { name: 'Cake', quantity: 1, unitAmount: '4.00' },
    ]);
    expect(await paths({ name: 'Order', amount: '10', lineItems: [{ name: 'Tea', quantity: 2, unitAmount: '2.50' }] })).toEqual(['lineItems']);
  });
});

describe('create: validation', () => {
  it('name is required, 1-120 characters', async () => {
    expect(await paths({})).toEqual(['name']);
    expect(await paths({ name: '' })).toEqual(['name']);
    expect(await paths({ name: 42 })).toEqual(['name']);
    expect(await paths({ name: 'x'.repeat(121) })).toEqual(['name']);
    expect((await create({ name: 'x'.repeat(120) })).name).toHaveLength(120);
    expect((await create({ name: 'x' })).name).toBe('x');
  });

  it('description at most 500, reference at most 140', async () => {
    expect(await paths({ name: 'n', description: 'd'.repeat(501) })).toEqual(['description']);
    expect((await create({ name: 'n', description: 'd'.repeat(500) })).description).toHaveLength(500);
    expect(await paths({ name: 'n', reference: 'r'.repeat(141) })).toEqual(['reference']);
    expect((await create({ name: 'n', reference: 'r'.repeat(140) })).reference).toHaveLength(140);
  });

  it('type and reuse take only their values', async () => {
    expect(await paths({ name: 'n', type: 'donation' })).toEqual(['type']);
    expect(await paths({ name: 'n', reuse: 'twice' })).toEqual(['reuse']);
  });

  it('an accountInfo link takes no amount fields', async () => {
    expect((await create({ name: 'Account', type: 'accountInfo' })).type).toBe('accountInfo');
    expect(await paths({ name: 'n', type: 'accountInfo', amount: '1' })).toEqual(['amount']);
    expect(await paths({ name: 'n', type: 'accountInfo', minAmount: '1' })).toEqual(['minAmount']);
    expect(await paths({ name: 'n', type: 'accountInfo', perPaymentAmountLimit: '1' })).toEqual(['perPaymentAmountLimit']);
    expect(await paths({ name: 'n', type: 'accountInfo', reuse: 'multiple', totalAmountLimit: '1' })).toEqual(['totalAmountLimit']);
    expect(await paths({ name: 'n', type: 'accountInfo', lineItems: [{ name: 'a', unitAmount: '1' }] })).toEqual(['lineItems']);
    expect(
      (await paths({ name: 'n', type: 'accountInfo', amount: '1', perPaymentAmountLimit: '2', reuse: 'multiple', totalAmountLimit: '3' })).sort(),
    ).toEqual(['amount', 'perPaymentAmountLimit', 'totalAmountLimit']);
  });

  it('amounts must be valid amounts, each at its own path', async () => {
    expect(await paths({ name: 'n', amount: '0' })).toEqual(['amount']);
    expect(await paths({ name: 'n', amount: '-1' })).toEqual(['amount']);
    expect(await paths({ name: 'n', amount: '1.005' })).toEqual(['amount']);
    expect(await paths({ name: 'n', minAmount: 'abc' })).toEqual(['minAmount']);
    expect(await paths({ name: 'n', perPaymentAmountLimit: 0 })).toEqual(['perPaymentAmountLimit']);
    expect(await paths({ name: 'n', reuse: 'multiple', totalAmountLimit: '1e3' })).toEqual(['totalAmountLimit']);
    expect((await create({ name: 'n', amount: 12.5 })).amount).toBe('12.50');
  });

  it('currency must be a known ISO 4217 code', async () => {
    expect(await paths({ name: 'n', currency: 'ABC' })).toEqual(['currency']);
    expect(await paths({ name: 'n', currency: 'eur' })).toEqual(['currency']);
    expect(await paths({ name: 'n', currency: 'XXX' })).toEqual(['currency']);
    expect((await create({ name: 'n', currency: 'USD' })).currency).toBe('USD');
  });

  it('minAmount only for an open amount', async () => {
    expect(await paths({ name: 'n', amount: '10', minAmount: '5' })).toEqual(['minAmount']);
    expect((await create({ name: 'n', minAmount: '5' })).minAmount).toBe('5.00');
  });

  it('maxUses and totalAmountLimit only for reuse: multiple', async () => {
    expect(await paths({ name: 'n', maxUses: 3 })).toEqual(['maxUses']);
    expect(await paths({ name: 'n', totalAmountLimit: '100' })).toEqual(['totalAmountLimit']);
    expect((await paths({ name: 'n', reuse: 'single', maxUses: 3, totalAmountLimit: '100' })).sort()).toEqual(['maxUses', 'totalAmountLimit']);
    const link = await create({ name: 'n', reuse: 'multiple', maxUses: 3, totalAmountLimit: '100' });
    expect(link).toMatchObject({ maxUses: 3, totalAmountLimit: '100.00', usage: { remainingCount: 3, remainingAmount: '100.00' } });
  });

  it('maxUses is an integer >= 1', async () => {
    for (const maxUses of [0, -1, 1.5, '3', true]) {
      expect(await paths({ name: 'n', reuse: 'multiple', maxUses })).toEqual(['maxUses']);
    }
    expect((await create({ name: 'n', reuse: 'multiple', maxUses: 1 })).maxUses).toBe(1);
  });

  it('perPaymentAmountLimit >= amount and >= minAmount', async () => {
    expect(await paths({ name: 'n', amount: '10', perPaymentAmountLimit: '9.99' })).toEqual(['perPaymentAmountLimit']);
    expect((await create({ name: 'n', amount: '10', perPaymentAmountLimit: '10' })).perPaymentAmountLimit).toBe('10.00');
    expect(await paths({ name: 'n', minAmount: '5', perPaymentAmountLimit: '4.99' })).toEqual(['perPaymentAmountLimit']);
    expect((await create({ name: 'n', minAmount: '5', perPaymentAmountLimit: '5' })).perPaymentAmountLimit).toBe('5.00');
  });

  it('totalAmountLimit >= amount', async () => {
    expect(await paths({ name: 'n', reuse: 'multiple', amount: '10', totalAmountLimit: '9.99' })).toEqual(['totalAmountLimit']);
    expect((await create({ name: 'n', reuse: 'multiple', amount: '10', totalAmountLimit: '10' })).totalAmountLimit).toBe('10.00');
  });

  it('metadata: at most 50 keys, keys of 1-40 characters, string values of at most 500', async () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys((await create({ name: 'n', metadata: keys(50) })).metadata)).toHaveLength(50);
    expect(await paths({ name: 'n', metadata: keys(51) })).toEqual(['metadata']);

    const longKey = 'k'.repeat(41);
    expect(await paths({ name: 'n', metadata: { [longKey]: 'v' } })).toEqual([`metadata.${longKey}`]);
    expect((await create({ name: 'n', metadata: { ['k'.repeat(40)]: 'v' } })).metadata).toEqual({ ['k'.repeat(40)]: 'v' });
    expect(await paths({ name: 'n', metadata: { '': 'v' } })).toEqual(['metadata.']);

    expect(await paths({ name: 'n', metadata: { note: 'v'.repeat(501) } })).toEqual(['metadata.note']);
    expect((await create({ name: 'n', metadata: { note: 'v'.repeat(500) } })).metadata.note).toHaveLength(500);

    expect((await paths({ name: 'n', metadata: { a: 1, b: 'ok', c: null } })).sort()).toEqual(['metadata.a', 'metadata.c']);
    expect(await paths({ name: 'n', metadata: ['a'] })).toEqual(['metadata']);
    expect(await paths({ name: 'n', metadata: 'a=b' })).toEqual(['metadata']);
    expect(await paths({ name: 'n', metadata: null })).toEqual(['metadata']);
  });

  it('locale is en, de, fr or nl', async () => {
    for (const locale of ['en', 'de', 'fr', 'nl']) expect((await create({ name: 'n', locale })).locale).toBe(locale);
    for (const locale of ['es', 'EN', 'de-DE', '', 1]) expect(await paths({ name: 'n', locale })).toEqual(['locale']);
  });

  it('country is ISO 3166-1 alpha-2', async () => {
    expect((await create({ name: 'n', country: 'DE' })).country).toBe('DE');
    expect((await create({ name: 'n', country: null })).country).toBeNull();
    for (const country of ['de', 'DEU', 'D', '', 49]) expect(await paths({ name: 'n', country })).toEqual(['country']);
  });

  it('the merchant country is the default country', async () => {
    await t.core.settings.update({ country: 'NL' });
    expect((await create({ name: 'n' })).country).toBe('NL');
  });

  it('pointOfSaleId must exist; the link takes its currency by default', async () => {
    expect(await paths({ name: 'n', pointOfSaleId: 'pos_nope' })).toEqual(['pointOfSaleId']);
    expect(await paths({ name: 'n', pointOfSaleId: 7 })).toEqual(['pointOfSaleId']);
    const pos = await t.core.pointsOfSale.create({ name: 'Tokyo corner', currency: 'JPY' });
    const link = await create({ name: 'n', pointOfSaleId: pos.id, amount: '500' });
    expect(link).toMatchObject({ pointOfSaleId: pos.id, currency: 'JPY', amount: '500' });
  });

  it('callbackUrl is an absolute http(s) URL without credentials', async () => {
    expect((await create({ name: 'n', callbackUrl: 'https://shop.example/done' })).callbackUrl).toBe('https://shop.example/done');
    for (const callbackUrl of ['ftp://x.example', '/relative', 'javascript:alert(1)', 'https://u:p@x.example', 5]) {
      expect(await paths({ name: 'n', callbackUrl })).toEqual(['callbackUrl']);
    }
  });

  it('cancellable is a boolean', async () => {
    expect((await create({ name: 'n', cancellable: false })).cancellable).toBe(false);
    expect(await paths({ name: 'n', cancellable: 'no' })).toEqual(['cancellable']);
  });

  it('collects the errors of every field at once', async () => {
    const err = await expectValidation(() =>
      create({ name: '', locale: 'es', country: 'germany', amount: '-3', expiresInMinutes: 0, metadata: { x: 1 }, refIdBase: 'no spaces' }),
    );
    expect(err.errors.map((e) => e.path).sort()).toEqual(['amount', 'country', 'expiresInMinutes', 'locale', 'metadata.x', 'name', 'refIdBase']);
    for (const e of err.errors) expect(e.message).toEqual(expect.any(String));
    expect(err.type).toBe('validation-error');
    expect(err.extras.errors).toEqual(err.errors);
    // nothing was stored
    expect((await t.core.links.list({}, { limit: 50 })).data).toHaveLength(0);
    expect(await eventTypes(t.core)).not.toContain('link.created');
  });
});

describe('create: expiry', () => {
  const now = Date.parse(START);

  it('none = never expires', async () => {
    expect((await create({ name: 'n' })).expiresAt).toBeNull();
  });

  it('expiresAt must be RFC 3339 with a zone and in the future', async () => {
    expect((await create({ name: 'n', expiresAt: '2026-02-01T12:00:00Z' })).expiresAt).toBe('2026-02-01T12:00:00.000Z');
    expect((await create({ name: 'n', expiresAt: '2026-02-01T12:00:00+01:00' })).expiresAt).toBe('2026-02-01T11:00:00.000Z');
    expect(await paths({ name: 'n', expiresAt: '2026-01-15T09:59:59Z' })).toEqual(['expiresAt']);
    expect(await paths({ name: 'n', expiresAt: START })).toEqual(['expiresAt']);
    expect((await create({ name: 'n', expiresAt: '2026-01-15T10:00:00.001Z' })).expiresAt).toBe('2026-01-15T10:00:00.001Z');
    for (const expiresAt of ['2026-02-01T12:00:00', '2026-02-01', 'tomorrow', 1767225600000, '2026-02-30T12:00:00Z']) {
      expect(await paths({ name: 'n', expiresAt })).toEqual(['expiresAt']);
    }
  });

  it('expiresInMinutes counts from now', async () => {
    expect((await create({ name: 'n', expiresInMinutes: 30 })).expiresAt).toBe(new Date(now + 30 * 60_000).toISOString());
    for (const expiresInMinutes of [0, -5, 1.5, '30']) expect(await paths({ name: 'n', expiresInMinutes })).toEqual(['expiresInMinutes']);
  });

  it('at most one expiry form', async () => {
    expect(await paths({ name: 'n', expiresAt: '2026-02-01T12:00:00Z', expiresInMinutes: 10 })).toEqual(['expiresInMinutes']);
    expect(await paths({ name: 'n', expiresOn: '2026-02-01', expiresInMinutes: 10 })).toEqual(['expiresInMinutes']);
    expect(await paths({ name: 'n', expiresAt: '2026-02-01T12:00:00Z', expiresOn: '2026-02-01' })).toEqual(['expiresOn']);
    // a null form does not count as given
    expect((await create({ name: 'n', expiresAt: null, expiresInMinutes: 10 })).expiresAt).toBe(new Date(now + 600_000).toISOString());
  });

  it.each([
    ['Europe/Berlin', '2026-03-10', '2026-03-10T22:59:59.999Z'], // CET, +01:00
    ['Europe/Berlin', '2026-03-29', '2026-03-29T21:59:59.999Z'], // the day summer time starts ends at +02:00
    ['Europe/Berlin', '2026-07-01', '2026-07-01T21:59:59.999Z'], // CEST
    ['America/New_York', '2026-03-01', '2026-03-02T04:59:59.999Z'], // EST, -05:00
    ['America/New_York', '2026-03-10', '2026-03-11T03:59:59.999Z'], // EDT since 8 March 2026
    ['Asia/Tokyo', '2026-03-10', '2026-03-10T14:59:59.999Z'],
    ['Asia/Kolkata', '2026-03-10', '2026-03-10T18:29:59.999Z'],
    ['Pacific/Auckland', '2026-01-20', '2026-01-20T10:59:59.999Z'], // NZDT, +13:00
    ['UTC', '2026-01-15', '2026-01-15T23:59:59.999Z'],
  ])('expiresOn in %s: %s ends at %s', async (timeZone, expiresOn, expected) => {
    await t.core.settings.update({ timeZone });
    expect((await create({ name: 'n', expiresOn })).expiresAt).toBe(expected);
  });

  it('expiresOn must be a real date, and that day must not be over yet in the merchant zone', async () => {
    await t.core.settings.update({ timeZone: 'UTC' });
    expect(await paths({ name: 'n', expiresOn: '2026-01-14' })).toEqual(['expiresOn']);
    for (const expiresOn of ['2026-02-30', '15.01.2026', '2026-1-20', '2026-01-20T00:00:00Z', 20260120]) {
      expect(await paths({ name: 'n', expiresOn })).toEqual(['expiresOn']);
    }
    // 10:00 UTC on 15 Jan is already 16 Jan 00:00 on Kiritimati (+14): 15 Jan is over there
    await t.core.settings.update({ timeZone: 'Pacific/Kiritimati' });
    expect(await paths({ name: 'n', expiresOn: '2026-01-15' })).toEqual(['expiresOn']);
    expect((await create({ name: 'n', expiresOn: '2026-01-16' })).expiresAt).toBe('2026-01-16T09:59:59.999Z');
  });

  it('a link expires when the clock passes expiresAt', async () => {
    const link = await create({ name: 'n', expiresInMinutes: 5 });
    t.clock.advance(5 * 60_000 - 1);
    expect((await t.core.links.get(link.id)).status).toBe('enabled');
    t.clock.advance(1);
    expect((await t.core.links.get(link.id)).status).toBe('expired');
    expect((await eventTypes(t.core)).filter((e) => e === 'link.expired')).toHaveLength(1);
    // noted once
    await t.core.links.get(link.id);
    expect((await eventTypes(t.core)).filter((e) => e === 'link.expired')).toHaveLength(1);
  });
});

describe('PATCH', () => {
  const payOnce = async (linkId: string, outcome: 'succeeded' | 'failed' = 'succeeded', amount?: string) => {
    const { payment } = await t.core.payments.start(linkId, amount === undefined ? {} : { amount });
    return t.core.payments.complete(payment.id, outcome);
  };

  it('changes the editable fields and appends link.updated', async () => {
    const link = await create({ name: 'Old', amount: '5' });
    t.clock.advance(1000);
    const after = await t.core.events.lastId();
    const updated = await t.core.links.update(link.id, {
      name: 'New',
      description: 'desc',
      metadata: { a: 'b' },
      locale: 'fr',
      country: 'FR',
      reference: 'R-1',
      callbackUrl: 'https://x.example/cb',
      cancellable: false,
      perPaymentAmountLimit: '6',
    });
    expect(updated).toMatchObject({
      name: 'New',
      description: 'desc',
      metadata: { a: 'b' },
      locale: 'fr',
      country: 'FR',
      reference: 'R-1',
      callbackUrl: 'https://x.example/cb',
      cancellable: false,
      perPaymentAmountLimit: '6.00',
      url: `${BASE_URL}/fr/pay-by-link/${link.id}`,
      createdAt: link.createdAt,
      updatedAt: new Date(Date.parse(START) + 1000).toISOString(),
    });
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['link.updated']);
    expect(events[0]!.data).toEqual(updated);
  });

  it('refuses fields that cannot change after creation', async () => {
    const link = await create({ name: 'n' });
    expect((await errorPaths(() => t.core.links.update(link.id, { refIdBase: 'X', reuse: 'multiple', type: 'accountInfo', pointOfSaleId: 'pos_x' }))).sort()).toEqual([
      'pointOfSaleId',
      'refIdBase',
      'reuse',
      'type',
    ]);
  });

  it('validates like create and changes nothing when refused', async () => {
    const link = await create({ name: 'n', amount: '5' });
    expect((await errorPaths(() => t.core.links.update(link.id, { name: '', locale: 'xx' }))).sort()).toEqual(['locale', 'name']);
    expect(await errorPaths(() => t.core.links.update(link.id, { maxUses: 3 }))).toEqual(['maxUses']);
    expect(await errorPaths(() => t.core.links.update(link.id, { perPaymentAmountLimit: '4' }))).toEqual(['perPaymentAmountLimit']);
    expect(await t.core.links.get(link.id)).toEqual(link);
  });

  it('unknown link -> not-found', async () => {
    await expectProblem(() => t.core.links.update('pl_missing', { name: 'x' }), 'not-found');
    await expectProblem(() => t.core.links.get('pl_missing'), 'not-found');
    await expectProblem(() => t.core.links.cancel('pl_missing'), 'not-found');
  });

  it('amount and currency change only while the link has no payments', async () => {
    const link = await create({ name: 'n', amount: '5' });
    expect((await t.core.links.update(link.id, { amount: '6' })).amount).toBe('6.00');
    expect(await t.core.links.update(link.id, { currency: 'JPY', amount: '600' })).toMatchObject({ currency: 'JPY', amount: '600' });
    await payOnce(link.id, 'failed'); // any payment counts, even a failed one
    await expectProblem(() => t.core.links.update(link.id, { amount: '7' }), 'link-has-payments');
    await expectProblem(() => t.core.links.update(link.id, { currency: 'EUR' }), 'link-has-payments');
    expect(await t.core.links.get(link.id)).toMatchObject({ currency: 'JPY', amount: '600' });
    // other fields still change
    expect((await t.core.links.update(link.id, { name: 'renamed' })).name).toBe('renamed');
  });

  it('a new currency keeps the value of the amounts, not their count of minor units', async () => {
    const link = await create({ name: 'n', amount: '5', reuse: 'multiple', totalAmountLimit: '100', perPaymentAmountLimit: '20' });
    expect(await t.core.links.update(link.id, { currency: 'JPY' })).toMatchObject({
      currency: 'JPY',
      amount: '5',
      totalAmountLimit: '100',
      perPaymentAmountLimit: '20',
    });
    expect(await t.core.links.update(link.id, { currency: 'BHD' })).toMatchObject({ currency: 'BHD', amount: '5.000', totalAmountLimit: '100.000' });
    // an amount the new currency cannot express must be given again
    const cents = await create({ name: 'n', amount: '12.50' });
    expect(await errorPaths(() => t.core.links.update(cents.id, { currency: 'JPY' }))).toEqual(['amount']);
    expect(await t.core.links.get(cents.id)).toMatchObject({ currency: 'EUR', amount: '12.50' });
    expect(await t.core.links.update(cents.id, { currency: 'JPY', amount: '1250' })).toMatchObject({ currency: 'JPY', amount: '1250' });
    // line items follow too
    const order = await create({ name: 'o', lineItems: [{ name: 'Tea', quantity: 2, unitAmount: '3' }] });
    expect(await t.core.links.update(order.id, { currency: 'KWD' })).toMatchObject({
      amount: '6.000',
      lineItems: [{ name: 'Tea', quantity: 2, unitAmount: '3.000' }],
    });
  });

  it('minAmount of an open link is an amount field too', async () => {
    const link = await create({ name: 'n', reuse: 'multiple' });
    await payOnce(link.id, 'succeeded', '3');
    await expectProblem(() => t.core.links.update(link.id, { minAmount: '1' }), 'link-has-payments');
  });

  it('enabled:false disables (link.disabled), enabled:true enables (link.enabled)', async () => {
    const link = await create({ name: 'n', amount: '5' });
    let after = await t.core.events.lastId();
    const disabled = await t.core.links.update(link.id, { enabled: false });
    expect(disabled).toMatchObject({ status: 'disabled', enabled: false });
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['link.updated', 'link.disabled']);
    expect(events[1]!.data).toEqual(disabled);
    await expectProblem(() => t.core.payments.start(link.id, {}), 'link-not-usable');

    after = await t.core.events.lastId();
    expect((await t.core.links.update(link.id, { enabled: true })).status).toBe('enabled');
    expect(await eventTypes(t.core, after)).toEqual(['link.updated', 'link.enabled']);

    // no change -> no enabled/disabled event
    after = await t.core.events.lastId();
    await t.core.links.update(link.id, { enabled: true });
    expect(await eventTypes(t.core, after)).toEqual(['link.updated']);
    expect(await errorPaths(() => t.core.links.update(link.id, { enabled: 'yes' }))).toEqual(['enabled']);
  });

  it('enabled:true on a consumed, expired or cancelled link -> link-not-usable', async () => {
    const consumed = await create({ name: 'c', amount: '5' });
    await payOnce(consumed.id);
    const expired = await create({ name: 'e', amount: '5', expiresInMinutes: 1 });
    const cancelled = await create({ name: 'x', amount: '5' });
    await t.core.links.cancel(cancelled.id);
    t.clock.advance(60_000);
    for (const [link, status] of [
      [consumed, 'consumed'],
      [expired, 'expired'],
      [cancelled, 'cancelled'],
    ] as const) {
      const err = await expectProblem(() => t.core.links.update(link.id, { enabled: true }), 'link-not-usable');
      expect(err.extras.linkStatus).toBe(status);
      await expectProblem(() => t.core.links.update(link.id, { enabled: false }), 'link-not-usable');
      await expectProblem(() => t.core.links.update(link.id, { expiresInMinutes: 60 }), 'link-not-usable');
      expect((await t.core.links.get(link.id)).status).toBe(status);
      // descriptive fields may still change
      expect(await t.core.links.update(link.id, { name: 'archived', metadata: { k: 'v' } })).toMatchObject({ name: 'archived', status });
    }
  });

  it('raising maxUses reopens a usage_limit_reached link', async () => {
    const link = await create({ name: 'n', amount: '5', reuse: 'multiple', maxUses: 1 });
    await payOnce(link.id);
    expect((await t.core.links.get(link.id)).status).toBe('usage_limit_reached');
    const err = await expectProblem(() => t.core.payments.start(link.id, {}), 'link-not-usable');
    expect(err.extras.linkStatus).toBe('usage_limit_reached');
    const reopened = await t.core.links.update(link.id, { maxUses: 2 });
    expect(reopened).toMatchObject({ status: 'enabled', usage: { count: 1, remainingCount: 1 } });
    await payOnce(link.id);
    expect((await t.core.links.get(link.id)).status).toBe('usage_limit_reached');
    // removing the limit reopens it for good
    expect((await t.core.links.update(link.id, { maxUses: null })).status).toBe('enabled');
  });

  it('raising totalAmountLimit reopens an amount_limit_reached link', async () => {
    const link = await create({ name: 'n', amount: '5', reuse: 'multiple', totalAmountLimit: '5' });
    await payOnce(link.id);
    expect((await t.core.links.get(link.id)).status).toBe('amount_limit_reached');
    expect((await t.core.links.update(link.id, { totalAmountLimit: '10' })).status).toBe('enabled');
    await payOnce(link.id);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'amount_limit_reached', usage: { count: 2, amount: '10.00' } });
  });

  it('a new future expiry keeps the link alive; expiresAt: null clears it', async () => {
    const link = await create({ name: 'n', expiresInMinutes: 10 });
    const later = await t.core.links.update(link.id, { expiresInMinutes: 120 });
    expect(later.expiresAt).toBe(new Date(Date.parse(START) + 120 * 60_000).toISOString());
    t.clock.advance(60 * 60_000);
    expect((await t.core.links.get(link.id)).status).toBe('enabled');
    expect((await t.core.links.update(link.id, { expiresAt: null })).expiresAt).toBeNull();
    t.clock.advance(24 * 60 * 60_000);
    expect((await t.core.links.get(link.id)).status).toBe('enabled');
    expect(await errorPaths(() => t.core.links.update(link.id, { expiresAt: '2026-01-01T00:00:00Z' }))).toEqual(['expiresAt']);
  });
});

describe('cancel', () => {
  it('cancels an enabled link: link.cancelled with the cancelled link', async () => {
    const link = await create({ name: 'n', amount: '5' });
    t.clock.advance(1000);
    const after = await t.core.events.lastId();
    const cancelled = await t.core.links.cancel(link.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', updatedAt: new Date(Date.parse(START) + 1000).toISOString() });
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['link.cancelled']);
    expect(events[0]!.data).toEqual(cancelled);
    const err = await expectProblem(() => t.core.payments.start(link.id, {}), 'link-not-usable');
    expect(err.extras.linkStatus).toBe('cancelled');
  });

  it('cancels a disabled link, and it stays cancelled when enabled is asked', async () => {
    const link = await create({ name: 'n' });
    await t.core.links.update(link.id, { enabled: false });
    expect((await t.core.links.cancel(link.id)).status).toBe('cancelled');
    await expectProblem(() => t.core.links.update(link.id, { enabled: true }), 'link-not-usable');
  });

  it('cancelling twice is fine and appends nothing the second time', async () => {
    const link = await create({ name: 'n' });
    const first = await t.core.links.cancel(link.id);
    const after = await t.core.events.lastId();
    t.clock.advance(5000);
    expect(await t.core.links.cancel(link.id)).toEqual(first);
    expect(await t.core.events.lastId()).toBe(after);
  });

  it('cancels a locked link: its pending payment becomes cancelled and a later completion is refused', async () => {
    const link = await create({ name: 'n', amount: '5' });
    const { payment } = await t.core.payments.start(link.id, {});
    expect((await t.core.links.get(link.id)).status).toBe('locked');
    const after = await t.core.events.lastId();
    const cancelled = await t.core.links.cancel(link.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', usage: { count: 0, pendingCount: 0 }, lockedUntil: null });
    expect(await eventTypes(t.core, after)).toEqual(['payment.cancelled', 'link.unlocked', 'link.cancelled']);
    expect((await t.core.payments.get(payment.id)).status).toBe('cancelled');
    const err = await expectProblem(() => t.core.payments.complete(payment.id, 'succeeded'), 'payment-not-pending');
    expect(err.extras.paymentStatus).toBe('cancelled');
    expect((await t.core.payments.get(payment.id)).status).toBe('cancelled');
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'cancelled', usage: { count: 0, amount: '0.00' } });
  });

  it('cancels every pending payment of a multiple-use link', async () => {
    const link = await create({ name: 'n', amount: '5', reuse: 'multiple' });
    const a = (await t.core.payments.start(link.id, {})).payment;
    const b = (await t.core.payments.start(link.id, {})).payment;
    const done = (await t.core.payments.start(link.id, {})).payment;
    await t.core.payments.complete(done.id, 'succeeded');
    await t.core.links.cancel(link.id);
    expect(await Promise.all([a, b, done].map(async (p) => (await t.core.payments.get(p.id)).status))).toEqual(['cancelled', 'cancelled', 'succeeded']);
    expect((await t.core.links.get(link.id)).usage).toMatchObject({ count: 1, amount: '5.00', pendingCount: 0 });
  });

  it('refuses to cancel a consumed, expired or limit-reached link (link-not-usable)', async () => {
    const consumed = await create({ name: 'c', amount: '5' });
    await t.core.payments.complete((await t.core.payments.start(consumed.id, {})).payment.id, 'succeeded');
    const usage = await create({ name: 'u', amount: '5', reuse: 'multiple', maxUses: 1 });
    await t.core.payments.complete((await t.core.payments.start(usage.id, {})).payment.id, 'succeeded');
    const amount = await create({ name: 'a', amount: '5', reuse: 'multiple', totalAmountLimit: '5' });
    await t.core.payments.complete((await t.core.payments.start(amount.id, {})).payment.id, 'succeeded');
    const expired = await create({ name: 'e', expiresInMinutes: 1 });
    t.clock.advance(60_000);
    expect((await t.core.links.get(expired.id)).status).toBe('expired'); // the read notes link.expired
    for (const [link, status] of [
      [consumed, 'consumed'],
      [usage, 'usage_limit_reached'],
      [amount, 'amount_limit_reached'],
      [expired, 'expired'],
    ] as const) {
      const before = await t.core.events.lastId();
      const err = await expectProblem(() => t.core.links.cancel(link.id), 'link-not-usable');
      expect(err.extras.linkStatus).toBe(status);
      expect((await t.core.links.get(link.id)).status).toBe(status);
      expect(await t.core.events.lastId()).toBe(before);
    }
  });

  it('a cancelled link is not expired later and keeps its status', async () => {
    const link = await create({ name: 'n', expiresInMinutes: 1 });
    await t.core.links.cancel(link.id);
    t.clock.advance(LOCK_TTL_MS);
    expect((await t.core.links.get(link.id)).status).toBe('cancelled');
    expect(await eventTypes(t.core)).not.toContain('link.expired');
  });
});
