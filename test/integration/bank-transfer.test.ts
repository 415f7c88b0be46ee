/**
 * Real money over HTTP (API.md "Live and test mode", "Payment methods", "Bank transfer (SEPA) and
 * bank statements"): modes kept apart, keys per mode, the methods a mode has, a transfer from its
 * start through a statement import to `succeeded`, staff confirmation, and what bad input gets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readQr as decodePng } from '../support/qr';
import { makeApp, type TestApp } from './helpers';
import { camtStatement } from '../support/camt';
import { isValidCreditorReference } from '../../core/banking/creditor-reference';
import { AUTH } from '../support/keys';

const IBAN = 'DE89370400440532013000';
const BANK = { accountHolder: 'Café Müller & Sohn', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' };

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => {
  await t.close();
});

const setUpBank = async () => {
  const res = await t.req('PATCH', '/api/v1/settings', { bankTransfer: BANK });
  expect(res.status, res.text).toBe(200);
  return res.body.bankTransfer;
};

/** A key of `mode`, made through the API. */
async function keyOf(mode: 'live' | 'test'): Promise<string> {
  const res = await t.req('POST', '/api/v1/api-keys', { name: `${mode} key`, mode });
  expect(res.status, res.text).toBe(201);
  expect(res.body.key).toMatch(new RegExp(`^clk_${mode}_`));
  return res.body.key;
}
const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

const importStatement = (xml: string, key?: string) =>
  t.req('POST', '/api/v1/bank-statements', undefined, { raw: xml, headers: { 'content-type': 'application/xml', ...(key ? { authorization: `Bearer ${key}` } : {}) } });

/** Starts a transfer payment on a new link; returns the payment and its next step. */
async function transferPayment(amount = '12.50', key?: string) {
  const link = await t.req('POST', '/api/v1/links', { name: 'Invoice 7', amount, methods: ['sepa_transfer'] }, key ? as(key) : {});
  expect(link.status, link.text).toBe(201);
  const started = await t.req('POST', `/pay-by-link/${link.body.id}/payments`, { method: 'sepa_transfer' }, { auth: false });
  expect(started.status, started.text).toBe(201);
  return { link: link.body, payment: started.body.payment, next: started.body.next };
}

describe('live and test mode', () => {
  it('keeps the modes apart: lists, gets and the event stream of one key never show the other mode', async () => {
    const live = await keyOf('live');
    const test = await keyOf('test');
    const liveLink = await t.req('POST', '/api/v1/links', { name: 'Live invoice', amount: '5.00' }, as(live));
    const testLink = await t.req('POST', '/api/v1/links', { name: 'Test invoice', amount: '5.00' }, as(test));
    expect([liveLink.body.livemode, testLink.body.livemode]).toEqual([true, false]);

    expect((await t.req('GET', `/api/v1/links/${liveLink.body.id}`, undefined, as(test))).status).toBe(404);
    expect((await t.req('GET', `/api/v1/links/${testLink.body.id}`, undefined, as(live))).status).toBe(404);
    expect((await t.req('GET', '/api/v1/links', undefined, as(live))).body.data.map((l: { id: string }) => l.id)).toEqual([liveLink.body.id]);
    const testEvents = (await t.req('GET', '/api/v1/events?limit=200', undefined, as(test))).body.data;
    expect(testEvents.some((e: { data: { id?: string } }) => e.data.id === liveLink.body.id)).toBe(false);
    expect(testEvents.every((e: { livemode: boolean | null }) => e.livemode !== true)).toBe(true);
    const liveEvents = (await t.req('GET', '/api/v1/events?limit=200', undefined, as(live))).body.data;
    expect(liveEvents.map((e: { type: string }) => e.type)).toContain('link.created');
    expect(liveEvents.every((e: { livemode: boolean | null }) => e.livemode !== false)).toBe(true);
    // A staff session chooses its mode per request.
    expect((await t.req('PATCH', `/api/v1/links/${liveLink.body.id}`, { name: 'x' }, as(test))).status).toBe(404);
  });

  it('manages keys: shown once, listed without the secret, revoked at once', async () => {
    const created = await t.req('POST', '/api/v1/api-keys', { name: 'Shop system', mode: 'live' });
    expect(created.status).toBe(201);
    const list = (await t.req('GET', '/api/v1/api-keys')).body.data;
    const row = list.find((k: { id: string }) => k.id === created.body.id);
    expect(row).toMatchObject({ name: 'Shop system', mode: 'live', livemode: true });
    expect(JSON.stringify(list)).not.toContain(created.body.key);
    expect((await t.req('GET', '/api/v1/links', undefined, as(created.body.key))).status).toBe(200);
    expect((await t.req('DELETE', `/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await t.req('GET', '/api/v1/links', undefined, as(created.body.key))).status).toBe(401);
    expect((await t.req('POST', '/api/v1/api-keys', { name: 'x', mode: 'both' })).status).toBe(422);
  });

  it('has the simulator in test mode only: a live link cannot be paid by a button', async () => {
    const live = await keyOf('live');
    const methods = async (key?: string) => (await t.req('GET', '/api/v1/payment-methods', undefined, key ? as(key) : {})).body.data;
    expect(await methods()).toEqual([
      { id: 'simulator', livemode: false, available: true, reason: null },
      { id: 'sepa_transfer', livemode: false, available: false, reason: 'not-configured' },
      { id: 'stripe', livemode: false, available: false, reason: 'not-configured' },
    ]);
    expect(await methods(live)).toEqual([
      { id: 'simulator', livemode: true, available: false, reason: 'test-only' },
      { id: 'sepa_transfer', livemode: true, available: false, reason: 'not-configured' },
      { id: 'stripe', livemode: true, available: false, reason: 'not-configured' },
    ]);
    await setUpBank();
    expect((await methods(live))[1]).toEqual({ id: 'sepa_transfer', livemode: true, available: true, reason: null });

    const refused = await t.req('POST', '/api/v1/links', { name: 'x', amount: '1.00', methods: ['simulator'] }, as(live));
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ path: 'methods[0]', code: 'method-test-only' });
    const usd = await t.req('POST', '/api/v1/links', { name: 'x', amount: '1.00', currency: 'USD', methods: ['sepa_transfer'] });
    expect(usd.status).toBe(422);
    expect(usd.body.errors[0]).toMatchObject({ path: 'methods[0]', code: 'method-currency' });
    expect((await t.req('POST', '/api/v1/links', { name: 'x', amount: '1.00', methods: ['bitcoin'] })).status).toBe(422);

    const link = await t.req('POST', '/api/v1/links', { name: 'Live', amount: '3.00' }, as(live));
    const sim = await t.req('POST', `/pay-by-link/${link.body.id}/payments`, { method: 'simulator' }, { auth: false });
    expect(sim.status).toBe(409);
    expect(sim.body.type).toBe('method-unavailable');
    // Without a method, a live link with one method uses it.
    const started = await t.req('POST', `/pay-by-link/${link.body.id}/payments`, {}, { auth: false });
    expect(started.status, started.text).toBe(201);
    expect(started.body.payment).toMatchObject({ method: 'sepa_transfer', livemode: true });
    expect((await t.req('GET', `/sim/checkout/${started.body.payment.id}`, undefined, { auth: false })).status).toBe(404);
    const approve = await t.req('POST', `/sim/checkout/${started.body.payment.id}`, { outcome: 'succeeded' }, { auth: false });
    expect(approve.status).toBe(404);
    expect((await t.req('GET', `/api/v1/payments/${started.body.payment.id}`, undefined, as(live))).body.status).toBe('pending');
  });
});

describe('bank transfer settings', () => {
  it('checks the IBAN (country, length, mod-97), the BIC and the holder, and changes nothing on error', async () => {
    const bad = await t.req('PATCH', '/api/v1/settings', { bankTransfer: { accountHolder: 'x'.repeat(71), iban: 'DE89370400440532013001', bic: 'NOTABIC', holdDays: 0 } });
    expect(bad.status).toBe(422);
    const byPath = Object.fromEntries(bad.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]));
    expect(byPath).toEqual({
      'bankTransfer.accountHolder': 'too-long',
      'bankTransfer.iban': 'iban-checksum',
      'bankTransfer.bic': expect.stringMatching(/^bic-/),
      'bankTransfer.holdDays': 'range',
    });
    expect((await t.req('GET', '/api/v1/settings')).body.bankTransfer).toMatchObject({ accountHolder: null, iban: null, configured: false });
    expect((await t.req('PATCH', '/api/v1/settings', { bankTransfer: { iban: 'DE8937040044053201300' } })).body.errors[0].code).toBe('iban-length');
    expect(await setUpBank()).toEqual({ accountHolder: 'Café Müller & Sohn', iban: IBAN, bic: 'COBADEFFXXX', holdDays: 7, configured: true });
  });
});

describe('a SEPA transfer', () => {
  beforeEach(setUpBank);

  it('starts with an RF reference, an EPC QR exactly as EPC069-12 says, and holds the link for the hold days', async () => {
    const { link, payment, next } = await transferPayment('12.50');
    expect(next).toMatchObject({ type: 'bank_transfer', accountHolder: 'Café Müller & Sohn', iban: IBAN, bic: 'COBADEFFXXX', amount: '12.50', currency: 'EUR', refId: payment.refId });
    expect(isValidCreditorReference(next.creditorReference)).toBe(true);
    expect(Date.parse(next.holdUntil) - Date.parse(payment.createdAt)).toBe(7 * 86_400_000);
    expect(payment.bankTransfer).toMatchObject({ creditorReference: next.creditorReference, amountReceived: '0.00', source: null, credits: [], reversed: false });

    const png = await t.app.server.inject({ method: 'GET', url: new URL(next.epcQrUrl).pathname });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const text = decodePng(png.rawPayload);
    expect(text.split('\n')).toEqual(['BCD', '002', '1', 'SCT', 'COBADEFFXXX', 'Café Müller & Sohn', IBAN, 'EUR12.50', '', next.creditorReference, '', payment.refId]);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(331);
    const viaApi = await t.app.server.inject({ method: 'GET', url: `/api/v1/payments/${payment.id}/epc-qr?format=svg`, headers: AUTH });
    expect(viaApi.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('locked');
  });

  it('turns succeeded when the statement with its reference is imported; the same credit again changes nothing', async () => {
    const { payment, next } = await transferPayment('12.50');
    const xml = camtStatement(IBAN, [{ amount: '12.50', structured: next.creditorReference, ref: 'BANK-REF-1' }]);
    const imported = await importStatement(xml);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toMatchObject({ kind: 'camt.053', account: IBAN, credits: 1, duplicates: 0, unmatched: [] });
    expect(imported.body.matched).toEqual([{ creditId: expect.any(String), paymentId: payment.id, amount: '12.50' }]);
    const paid = (await t.req('GET', `/api/v1/payments/${payment.id}`)).body;
    expect(paid.status).toBe('succeeded');
    expect(paid.bankTransfer).toMatchObject({ amountReceived: '12.50', overpaidAmount: '0.00', source: 'statement', reversed: false });
    expect(paid.bankTransfer.credits).toHaveLength(1);

    // The night's camt.053 after the intraday camt.052: the same bank reference is a duplicate.
    const again = await importStatement(camtStatement(IBAN, [{ amount: '12.50', structured: next.creditorReference, ref: 'BANK-REF-1' }], { kind: '052' }));
    expect(again.body).toMatchObject({ kind: 'camt.052', credits: 0, duplicates: 1, matched: [], unmatched: [] });
    expect((await t.req('GET', '/api/v1/bank-statements')).body.data.map((s: { kind: string }) => s.kind)).toEqual(['camt.052', 'camt.053']);
    const types = (await t.req('GET', '/api/v1/events?limit=200')).body.data.map((e: { type: string }) => e.type);
    expect(types).toContain('bank_statement.imported');
    expect(types.filter((x: string) => x === 'payment.succeeded')).toHaveLength(1);
  });

  it('finds the reference in free text (spaces, lower case) or the refId, adds partial credits up and keeps over-payments', async () => {
    const a = await transferPayment('20.00');
    const b = await transferPayment('8.00');
    const c = await transferPayment('5.00');
    const spaced = a.next.creditorReference.toLowerCase().replace(/(.{4})/g, '$1 ');
    const xml = camtStatement(IBAN, [
      { amount: '15.00', ustrd: [`Rechnung ${spaced}`] },
      { amount: '5.00', ustrd: [`REF ${a.next.creditorReference}`] },
      { amount: '9.00', ustrd: [`Bestellung ${b.payment.refId} danke`] },
      { batch: [{ amount: '5.00', structured: c.next.creditorReference }, { amount: '3.00', ustrd: ['no reference at all'] }], amount: '8.00' },
      { amount: '1.00', structured: 'RF00INVALID' },
      { amount: '2.00', structured: 'RF18539007547034' },
      { amount: '50.00', debit: true, structured: a.next.creditorReference },
      { amount: '4.00', pending: true, structured: b.next.creditorReference },
    ]);
    const res = await importStatement(xml);
    expect(res.status, res.text).toBe(200);
    expect(res.body.matched.map((m: { paymentId: string }) => m.paymentId).sort()).toEqual([a.payment.id, a.payment.id, b.payment.id, c.payment.id].sort());
    expect(res.body.unmatched.map((u: { reason: string }) => u.reason).sort()).toEqual(['no-reference', 'no-reference', 'unknown-reference']);
    const get = async (id: string) => (await t.req('GET', `/api/v1/payments/${id}`)).body;
    expect((await get(a.payment.id)).bankTransfer).toMatchObject({ amountReceived: '20.00', overpaidAmount: '0.00' });
    expect((await get(a.payment.id)).status).toBe('succeeded');
    expect((await get(b.payment.id)).bankTransfer).toMatchObject({ amountReceived: '9.00', overpaidAmount: '1.00' });
    expect((await get(c.payment.id)).status).toBe('succeeded');

    const unmatched = (await t.req('GET', '/api/v1/bank-credits?status=unmatched')).body.data;
    expect(unmatched).toHaveLength(3);
    // Late money for a payment that already ended is not matched to it.
    const late = await importStatement(camtStatement(IBAN, [{ amount: '20.00', structured: a.next.creditorReference }]));
    expect(late.body.unmatched).toEqual([{ creditId: expect.any(String), amount: '20.00', reason: 'payment-not-pending' }]);
  });

  it('lets staff assign an unmatched credit, and flags a reversal for staff', async () => {
    const p = await transferPayment('7.00');
    const res = await importStatement(camtStatement(IBAN, [{ amount: '7.00', ustrd: ['Kaffee'] }]));
    const creditId = res.body.unmatched[0].creditId;
    const assigned = await t.req('POST', `/api/v1/bank-credits/${creditId}/assign`, { paymentId: p.payment.id });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'matched', paymentId: p.payment.id });
    expect((await t.req('GET', `/api/v1/payments/${p.payment.id}`)).body.status).toBe('succeeded');
    expect((await t.req('POST', `/api/v1/bank-credits/${creditId}/assign`, { paymentId: p.payment.id })).status).toBe(409);

    const q = await transferPayment('6.00');
    await importStatement(camtStatement(IBAN, [{ amount: '6.00', structured: q.next.creditorReference, ref: 'R-6' }]));
    await importStatement(camtStatement(IBAN, [{ amount: '6.00', structured: q.next.creditorReference, ref: 'R-6-REV', reversal: true, debit: true }]));
    const reversed = (await t.req('GET', `/api/v1/payments/${q.payment.id}`)).body;
    expect(reversed.bankTransfer.reversed).toBe(true);
    expect((await t.req('GET', '/api/v1/events?limit=200')).body.data.map((e: { type: string }) => e.type)).toContain('payment.transfer_reversed');
  });

  it('is confirmed by staff ("Received"), and only a pending transfer can be', async () => {
    const p = await transferPayment('12.50');
    const ok = await t.req('POST', `/api/v1/payments/${p.payment.id}/confirm-transfer`, {});
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ status: 'succeeded', bankTransfer: { source: 'staff', amountReceived: '12.50' } });
    const again = await t.req('POST', `/api/v1/payments/${p.payment.id}/confirm-transfer`, {});
    expect([again.status, again.body.type]).toEqual([409, 'payment-not-pending']);
    const sim = await t.req('POST', '/api/v1/links', { name: 'Sim', amount: '1.00' });
    const simPay = (await t.req('POST', `/pay-by-link/${sim.body.id}/payments`, {}, { auth: false })).body.payment;
    const mismatch = await t.req('POST', `/api/v1/payments/${simPay.id}/confirm-transfer`, {});
    expect([mismatch.status, mismatch.body.type]).toEqual([409, 'method-mismatch']);
  });

  it('refuses what is not a statement of this account, and changes nothing', async () => {
    const p = await transferPayment('12.50');
    const cases: [string, string][] = [
      ['not xml at all', 'statement-invalid'],
      ['<Document xmlns="urn:example:other"><x/></Document>', 'statement-invalid'],
      ['<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>', 'statement-invalid'],
      [camtStatement('GB82WEST12345698765432', [{ amount: '12.50', structured: p.next.creditorReference }]), 'statement-account-mismatch'],
    ];
    for (const [xml, type] of cases) {
      const res = await importStatement(xml);
      expect([res.status, res.body.type], xml.slice(0, 40)).toEqual([422, type]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await t.req('GET', '/api/v1/bank-statements')).body.data).toEqual([]);
    expect((await t.req('GET', `/api/v1/payments/${p.payment.id}`)).body.status).toBe('pending');
  });
});

describe('a "Bank QR" charge and the dialog', () => {
  beforeEach(setUpBank);

  it('starts the transfer at once and shows its EPC QR on the counter display', async () => {
    const charge = await t.req('POST', '/api/v1/charges', { amount: '12.50', method: 'sepa_transfer' });
    expect(charge.status, charge.text).toBe(201);
    expect(charge.body.payment).toMatchObject({ method: 'sepa_transfer', status: 'pending', amount: '12.50' });
    const state = (await t.req('GET', `/display/${charge.body.pointOfSaleId}/state`, undefined, { auth: false })).body;
    expect(state.mode).toBe('paying');
    expect(state.bankTransfer).toMatchObject({ accountHolder: 'Café Müller & Sohn', iban: IBAN, amount: '12.50', creditorReference: charge.body.payment.bankTransfer.creditorReference });
    expect(state.bankTransfer.epcQrUrl).toContain(`/payments/${charge.body.payment.id}/epc-qr`);
  });

  it('offers the link’s methods on the dialog and shows the transfer page after a form post', async () => {
    const link = await t.req('POST', '/api/v1/links', { name: 'Table 4', amount: '23.40' });
    const page = await t.req('GET', `/en/pay-by-link/${link.body.id}`, undefined, { auth: false });
    expect(page.text).toContain('value="simulator"');
    expect(page.text).toContain('value="sepa_transfer"');
    const form = await t.app.server.inject({
      method: 'POST',
      url: `/pay-by-link/${link.body.id}/payments`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'method=sepa_transfer&locale=de',
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toMatch(new RegExp(`^/de/pay-by-link/${link.body.id}/next/pay_`));
    const next = await t.app.server.inject({ method: 'GET', url: String(form.headers.location) });
    expect(next.statusCode).toBe(200);
    expect(next.body).toContain('DE89 3704 0044 0532 0130 00');
    expect(next.body).toContain('/epc-qr');
  });
});
