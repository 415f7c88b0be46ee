import { afterAll, describe, expect, it } from 'vitest';
import { createLink, expectProblem, expectValidation, makeApp, onPostgres, type TestApp } from './helpers';
import type { PostgresStore } from '../../core/store/postgres/adapter';
import { pdfText } from '../support/pdf-text';
import { AUTH } from '../support/keys';
import { rawDb } from '../support/raw-db';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

async function shop(timeZone: string, now: string): Promise<TestApp> {
  const t = await makeApp({ manualClock: now, dialogRateLimit: false });
  apps.push(t);
  await t.req('PATCH', '/api/v1/settings', { timeZone, merchantName: 'Bäckerei Sonne', address: 'Hauptstr. 1\n10115 Berlin' });
  return t;
}

/** Pays `amount` (+ tip) on a new link of `pos` at the app's current time; the payment completes at once. */
async function paid(t: TestApp, amount: string, opts: { pos?: string; tip?: string; method?: string } = {}) {
  const link = await createLink(t, { amount, ...(opts.pos ? { pointOfSaleId: opts.pos } : {}) });
  const started = await t.req('POST', `/pay-by-link/${link.id}/payments`, { ...(opts.tip ? { tip: opts.tip } : {}) }, { auth: false });
  expect(started.status, started.text).toBe(201);
  const done = await t.req('POST', `/sim/checkout/${started.body.payment.id}`, { outcome: 'succeeded' }, { auth: false });
  expect(done.status, done.text).toBe(200);
  return started.body.payment as { id: string };
}

const at = (t: TestApp, iso: string) => t.clock!.set(iso);

describe('day report in the merchant’s time zone', () => {
  it('Europe/Berlin: 23:30 local on the 14th is the 14th, 00:30 local is the 15th (UTC says otherwise)', async () => {
    const t = await shop('Europe/Berlin', '2026-01-14T08:00:00.000Z');
    const pos = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Bar', tips: { enabled: true, presets: [10] } })).body.id;
    at(t, '2026-01-14T22:30:00.000Z'); // 23:30 in Berlin, still the 14th
    const late = await paid(t, '10.00', { pos, tip: '1.50' });
    at(t, '2026-01-14T23:30:00.000Z'); // 00:30 on the 15th in Berlin, though UTC says the 14th
    await paid(t, '4.00');
    at(t, '2026-01-15T10:00:00.000Z');
    const refund = await t.req('POST', `/api/v1/payments/${late.id}/refund`, { amount: '2.00' });
    expect(refund.status, refund.text).toBe(200);
    const pending = await createLink(t, { amount: '7.00' });
    await t.req('POST', `/pay-by-link/${pending.id}/payments`, {}, { auth: false });

    const d14 = await t.req('GET', '/api/v1/reports/day?date=2026-01-14');
    expect(d14.status, d14.text).toBe(200);
    expect(d14.body).toEqual({
      date: '2026-01-14',
      pointOfSaleId: null,
      currency: 'EUR',
      livemode: false,
      timeZone: 'Europe/Berlin',
      from: '2026-01-13T23:00:00.000Z',
      to: '2026-01-14T23:00:00.000Z',
      byMethod: [{ method: 'simulator', count: 1, amount: '11.50', tips: '1.50', refunds: '0.00', refundCount: 0 }],
      count: 1,
      amount: '11.50',
      tips: '1.50',
      refunds: '0.00',
      refundCount: 0,
      net: '11.50',
      pending: { count: 0, amount: '0.00' },
      unmatchedBankCredits: { count: 0, amount: '0.00' },
      otherCurrencies: [],
      closed: null,
    });
    const d15 = (await t.req('GET', '/api/v1/reports/day?date=2026-01-15')).body;
    expect(d15).toMatchObject({
      from: '2026-01-14T23:00:00.000Z',
      to: '2026-01-15T23:00:00.000Z',
      byMethod: [{ method: 'simulator', count: 1, amount: '4.00', tips: '0.00', refunds: '2.00', refundCount: 1 }],
      count: 1,
      amount: '4.00',
      refunds: '2.00',
      net: '2.00',
      pending: { count: 1, amount: '7.00' },
    });
    // Per point of sale: the Bar's day holds only its own payment.
    const bar = (await t.req('GET', `/api/v1/reports/day?date=2026-01-14&pointOfSaleId=${pos}`)).body;
    expect(bar).toMatchObject({ pointOfSaleId: pos, count: 1, amount: '11.50', tips: '1.50' });
    const bar15 = (await t.req('GET', `/api/v1/reports/day?date=2026-01-15&pointOfSaleId=${pos}`)).body;
    expect(bar15).toMatchObject({ count: 0, amount: '0.00', refunds: '2.00', net: '-2.00', byMethod: [{ method: 'simulator', count: 0, refunds: '2.00' }] });
  });

  it('America/New_York: 20:00 local on the 14th is 01:00 UTC on the 15th and counts on the 14th', async () => {
    const t = await shop('America/New_York', '2026-01-14T15:00:00.000Z');
    at(t, '2026-01-15T01:00:00.000Z'); // 20:00 on the 14th in New York
    await paid(t, '25.00');
    at(t, '2026-01-15T05:30:00.000Z'); // 00:30 on the 15th in New York
    await paid(t, '3.00');
    const d14 = (await t.req('GET', '/api/v1/reports/day?date=2026-01-14')).body;
    expect(d14).toMatchObject({ timeZone: 'America/New_York', from: '2026-01-14T05:00:00.000Z', to: '2026-01-15T05:00:00.000Z', count: 1, amount: '25.00' });
    const d15 = (await t.req('GET', '/api/v1/reports/day?date=2026-01-15')).body;
    expect(d15).toMatchObject({ count: 1, amount: '3.00' });
    // Today is the 15th there: the 16th is in the future.
    expectValidation(await t.req('GET', '/api/v1/reports/day?date=2026-01-16'), 'date');
  });

  it('refuses malformed dates, future days and unknown points of sale', async () => {
    const t = await shop('Europe/Berlin', '2026-03-10T12:00:00.000Z');
    for (const bad of ['2026-3-1', '2026-02-30', 'yesterday', '2026-13-01']) expectValidation(await t.req('GET', `/api/v1/reports/day?date=${bad}`), 'date');
    expectValidation(await t.req('GET', '/api/v1/reports/day?date=2026-03-11'), 'date');
    expectValidation(await t.req('POST', '/api/v1/reports/day/close', { date: '2026-03-11' }), 'date');
    expectProblem(await t.req('GET', '/api/v1/reports/day?date=2026-03-10&pointOfSaleId=pos_nope'), 404, 'not-found');
    expect((await t.req('GET', '/api/v1/reports/day')).body.date).toBe('2026-03-10');
  });
});

describe('closing the day', () => {
  it('records the report numbered and unchangeable; payments after closing fall into the next day', async () => {
    const t = await shop('Europe/Berlin', '2026-02-02T09:00:00.000Z');
    await paid(t, '10.00');
    at(t, '2026-02-02T18:00:00.000Z'); // 19:00 in Berlin: the shop closes the day
    const closed = await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-02' });
    expect(closed.status, closed.text).toBe(201);
    expect(closed.body).toMatchObject({ date: '2026-02-02', count: 1, amount: '10.00', to: '2026-02-02T18:00:00.000Z', closed: { number: 1, closedAt: '2026-02-02T18:00:00.000Z' } });
    expectProblem(await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-02' }), 409, 'day-closed');

    at(t, '2026-02-02T19:00:00.000Z'); // 20:00 the same evening, after closing
    const after = await paid(t, '5.00');
    // …and a refund of a payment of the closed day: counted on the day it is made, the next one.
    const first = (await t.req('GET', '/api/v1/payments?limit=5')).body.data.find((p: { id: string }) => p.id !== after.id);
    await t.req('POST', `/api/v1/payments/${first.id}/refund`, { amount: '1.00' });
    const again = (await t.req('GET', '/api/v1/reports/day?date=2026-02-02')).body;
    expect(again).toEqual(closed.body); // unchanged, as closed
    at(t, '2026-02-03T10:00:00.000Z');
    const next = (await t.req('GET', '/api/v1/reports/day?date=2026-02-03')).body;
    expect(next).toMatchObject({ from: '2026-02-02T18:00:00.000Z', count: 1, amount: '5.00', refunds: '1.00', net: '4.00', closed: null });

    // Closing a past day ends it at its midnight; numbers count on; an earlier day cannot be closed after a later one.
    const second = await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-03' });
    expect(second.body).toMatchObject({ closed: { number: 2 }, from: '2026-02-02T18:00:00.000Z', to: '2026-02-03T10:00:00.000Z' });
    expectProblem(await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-01' }), 409, 'day-closed');
    // A point of sale's day is closed on its own.
    const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id;
    const posClose = await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-03', pointOfSaleId: pos });
    expect(posClose.body).toMatchObject({ pointOfSaleId: pos, closed: { number: 3 } });

    // The database itself refuses to change or delete a closed day.
    const tamper = async (sql: string) => {
      if (onPostgres) await (t.app.core.store as PostgresStore).pool.query(sql);
      else rawDb(t.app.core).prepare(sql).run();
    };
    await expect(tamper(`UPDATE day_closings SET report = '{}' WHERE number = 1`)).rejects.toThrow(/immutable/);
    await expect(tamper('DELETE FROM day_closings')).rejects.toThrow(/immutable/);
    expect((await t.req('GET', '/api/v1/reports/day?date=2026-02-02')).body).toEqual(closed.body);
  });

  it('a retried close with the same Idempotency-Key gets the same answer, not a 409', async () => {
    const t = await shop('Europe/Berlin', '2026-02-10T17:00:00.000Z');
    await paid(t, '3.30');
    const headers = { 'idempotency-key': 'close-2026-02-10' };
    const first = await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-10' }, { headers });
    expect(first.status, first.text).toBe(201);
    const again = await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-10' }, { headers });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expectProblem(await t.req('POST', '/api/v1/reports/day/close', { date: '2026-02-10' }), 409, 'day-closed');
  });

  it('the PDF holds the same figures (read back with PDF.js)', async () => {
    const t = await shop('Europe/Berlin', '2026-02-05T09:00:00.000Z');
    await t.req('PATCH', '/api/v1/settings', { defaultLocale: 'de' });
    const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id;
    await t.req('PATCH', `/api/v1/points-of-sale/${pos}`, { tips: { enabled: true, presets: [10] } });
    await paid(t, '20.00', { tip: '2.00' });
    await paid(t, '5.50');
    const json = (await t.req('GET', '/api/v1/reports/day?date=2026-02-05')).body;
    const res = await t.app.server.inject({ method: 'GET', url: '/api/v1/reports/day?date=2026-02-05', headers: { ...AUTH, accept: 'application/pdf' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await pdfText(res.rawPayload);
    expect(pdf.lines[0]).toBe('Tagesabschluss');
    expect(pdf.lines).toContain('Donnerstag, 5. Februar 2026');
    expect(pdf.lines).toContain('Bäckerei Sonne');
    expect(pdf.lines).toContain('Testzahlung (Simulator) · 2 Zahlungen 27,50 €');
    expect(pdf.info.Title).toBe('Tagesabschluss 2026-02-05');
    expect(pdf.lines).toContain('davon Trinkgeld 2,00 €');
    expect(pdf.lines).toContain(`Zahlungen (${json.count}) 27,50 €`);
    expect(pdf.lines).toContain('Netto 27,50 €');
    expect(pdf.lines).toContain('Offene Zahlungen (0) 0,00 €');
    expect(pdf.text).toContain('Noch nicht abgeschlossen');
    expect(pdf.text).toContain('TESTMODUS');
  });
});
