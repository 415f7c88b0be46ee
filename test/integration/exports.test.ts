import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createLink, expectValidation, makeApp, type TestApp } from './helpers';

let t: TestApp;
let bar: string;
beforeAll(async () => {
  t = await makeApp({ manualClock: '2026-04-01T06:00:00.000Z', dialogRateLimit: false });
  await t.req('PATCH', '/api/v1/settings', { timeZone: 'Europe/Berlin' });
  bar = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Bar', tips: { enabled: true, presets: [10] } })).body.id;
});
afterAll(async () => {
  await t.close();
});

async function paid(at: string, amount: string, opts: { tip?: string; pos?: string; payer?: { name: string; email?: string } } = {}) {
  t.clock!.set(at);
  const link = await createLink(t, { amount, ...(opts.pos ? { pointOfSaleId: opts.pos } : {}) });
  const started = await t.req('POST', `/pay-by-link/${link.id}/payments`, { ...(opts.tip ? { tip: opts.tip } : {}), ...(opts.payer ? { payer: opts.payer } : {}) }, { auth: false });
  expect(started.status, started.text).toBe(201);
  await t.req('POST', `/sim/checkout/${started.body.payment.id}`, { outcome: 'succeeded' }, { auth: false });
  return started.body.payment.id as string;
}

type Row = Record<string, string>;
const minor = (s: string) => Math.round(Number(s) * 100); // test-side only: EUR strings to cents for summing
const cents = (n: number) => (n / 100).toFixed(2);

describe('payments export (CSV)', () => {
  it('one row per payment and refund, RFC 4180, parsed back by csv-parse; each day sums to its day report', async () => {
    // 1 April (Berlin): two payments, one with a tip, one payer with a name full of CSV traps.
    const a = await paid('2026-04-01T07:00:00.000Z', '10.00', { tip: '1.00', pos: bar });
    await paid('2026-04-01T21:30:00.000Z', '4.40', { payer: { name: 'Müller, "Hans"\nGmbH', email: 'h@example.com' } }); // 23:30 Berlin
    // 2 April: a payment, a refund of the 1 April payment, the day closed at 20:00, one more payment later that evening.
    await paid('2026-04-02T08:00:00.000Z', '7.00');
    t.clock!.set('2026-04-02T09:00:00.000Z');
    await t.req('POST', `/api/v1/payments/${a}/refund`, { amount: '3.00' });
    t.clock!.set('2026-04-02T18:00:00.000Z');
    expect((await t.req('POST', '/api/v1/reports/day/close', { date: '2026-04-02' })).status).toBe(201);
    await paid('2026-04-02T19:00:00.000Z', '2.50', { payer: { name: '=HYPERLINK("x")' } }); // after closing: the 3rd's
    // 3 April: one more
    await paid('2026-04-03T10:00:00.000Z', '5.00', { tip: '0.50', pos: bar });
    t.clock!.set('2026-04-03T12:00:00.000Z');

    const res = await t.req('GET', '/api/v1/exports/payments.csv?from=2026-04-01&to=2026-04-03');
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="payments-2026-04-01-2026-04-03.csv"');
    expect(res.text.split('\r\n')[0]).toBe('type,id,paymentId,refId,day,time,pointOfSaleId,linkId,method,status,currency,amount,tip,reference,payerName,payerEmail');
    expect(res.text.endsWith('\r\n')).toBe(true);

    const rows = parse(res.text, { columns: true, skip_empty_lines: true }) as Row[];
    expect(rows.map((r) => [r.type, r.day, r.amount, r.tip])).toEqual([
      ['payment', '2026-04-01', '11.00', '1.00'],
      ['payment', '2026-04-01', '4.40', '0.00'],
      ['payment', '2026-04-02', '7.00', '0.00'],
      ['payment', '2026-04-03', '2.50', '0.00'],
      ['payment', '2026-04-03', '5.50', '0.50'],
      ['refund', '2026-04-02', '-3.00', '0.00'],
    ]);
    expect(rows[1]).toMatchObject({ payerName: 'Müller, "Hans"\nGmbH', payerEmail: 'h@example.com', method: 'simulator', currency: 'EUR', status: 'succeeded' });
    expect(rows[3]!.payerName).toBe(`'=HYPERLINK("x")`); // not a formula in a spreadsheet
    expect(rows[5]).toMatchObject({ paymentId: a, status: 'partially_refunded', pointOfSaleId: bar });
    expect(rows[5]!.id).toMatch(/^rf_/);

    for (const day of ['2026-04-01', '2026-04-02', '2026-04-03']) {
      const report = (await t.req('GET', `/api/v1/reports/day?date=${day}`)).body;
      const ofDay = rows.filter((r) => r.day === day);
      const payments = ofDay.filter((r) => r.type === 'payment');
      const refunds = ofDay.filter((r) => r.type === 'refund');
      expect(cents(ofDay.reduce((s, r) => s + minor(r.amount!), 0)), `net of ${day}`).toBe(report.net);
      expect(cents(payments.reduce((s, r) => s + minor(r.amount!), 0)), `amount of ${day}`).toBe(report.amount);
      expect(cents(payments.reduce((s, r) => s + minor(r.tip!), 0)), `tips of ${day}`).toBe(report.tips);
      expect(cents(-refunds.reduce((s, r) => s + minor(r.amount!), 0)), `refunds of ${day}`).toBe(report.refunds);
      expect(payments.length).toBe(report.count);
    }
  });

  it('a range over 366 days is refused with the limit named; 366 days are fine; malformed or reversed ranges are 422', async () => {
    const long = await t.req('GET', '/api/v1/exports/payments.csv?from=2025-01-01&to=2026-01-02');
    expectValidation(long, 'to');
    expect(long.body.errors[0]).toMatchObject({ code: 'range-too-long', params: { maxDays: 366, days: 367 } });
    expect(long.body.detail).toContain('366 days');
    const year = await t.req('GET', '/api/v1/exports/payments.csv?from=2025-01-01&to=2026-01-01');
    expect(year.status).toBe(200);
    expect(parse(year.text, { columns: true })).toEqual([]);
    expectValidation(await t.req('GET', '/api/v1/exports/payments.csv?from=2026-04-03&to=2026-04-01'), 'to');
    expectValidation(await t.req('GET', '/api/v1/exports/payments.csv?from=2026-02-30&to=2026-03-01'), 'from');
    expectValidation(await t.req('GET', '/api/v1/exports/payments.csv?from=today&to=2026-03-01'), 'from');
    expectValidation(await t.req('GET', '/api/v1/exports/payments.csv?to=2026-03-01'), 'from');
  });

  it('streams page by page: 1 201 payments, each exactly once, in order', async () => {
    const link = await createLink(t, { amount: '1.00', reuse: 'multiple' });
    const day = Date.parse('2026-05-10T10:00:00.000Z');
    await t.app.core.store.tx(async (tx) => {
      for (let i = 0; i < 1201; i++) {
        await tx.payments.insert({
          id: `pay_bulk${String(i).padStart(5, '0')}`, linkId: link.id, refId: `BULK-${i}`, status: 'succeeded', amount: 100 + i, tipAmount: 0, currency: 'EUR',
          method: 'sepa_transfer', reference: null, payerName: null, payerEmail: null, metadata: {}, refundedAmount: 0, lockExpiresAt: day,
          livemode: false, providerReference: null, createdAt: day + i, updatedAt: day + i, completedAt: day + i,
        });
      }
    });
    t.clock!.set('2026-05-11T10:00:00.000Z');
    const res = await t.req('GET', '/api/v1/exports/payments.csv?from=2026-05-10&to=2026-05-10');
    const rows = parse(res.text, { columns: true }) as Row[];
    expect(rows).toHaveLength(1201);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1201);
    expect(rows[0]!.id).toBe('pay_bulk00000');
    expect(rows[1200]!.id).toBe('pay_bulk01200');
    const report = (await t.req('GET', '/api/v1/reports/day?date=2026-05-10')).body;
    expect(cents(rows.reduce((s, r) => s + minor(r.amount!), 0))).toBe(report.amount);
    expect(report.byMethod).toEqual([{ method: 'sepa_transfer', count: 1201, amount: report.amount, tips: '0.00', refunds: '0.00', refundCount: 0 }]);
  });
});
