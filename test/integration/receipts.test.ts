import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ed from '@noble/ed25519';
import { createLink, expectProblem, makeApp, onPostgres, type TestApp } from './helpers';
import { pdfQrCodes, pdfText } from '../support/pdf-text';
import { AUTH } from '../support/keys';
import { rawDb } from '../support/raw-db';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ manualClock: '2026-03-06T16:45:00.000Z', dialogRateLimit: false });
  await t.req('PATCH', '/api/v1/settings', { merchantName: 'Bäckerei Sonne', address: 'Hauptstr. 1\n10115 Berlin', vatId: 'DE123456789', timeZone: 'Europe/Berlin' });
  const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id;
  await t.req('PATCH', `/api/v1/points-of-sale/${pos}`, { tips: { enabled: true, presets: [10] } });
});
afterAll(async () => {
  await t.close();
});

async function paidPayment(tip = '1.00') {
  const link = await createLink(t, {
    name: 'Frühstück',
    amount: '7.50',
    refIdBase: `R${Math.random().toString(36).slice(2, 8)}`,
    lineItems: [
      { name: 'Croissant', quantity: 2, unitAmount: '2.50' },
      { name: 'Kaffee', quantity: 1, unitAmount: '2.50' },
    ],
  });
  const started = await t.req('POST', `/pay-by-link/${link.id}/payments`, { tip }, { auth: false });
  expect(started.status, started.text).toBe(201);
  await t.req('POST', `/sim/checkout/${started.body.payment.id}`, { outcome: 'succeeded' }, { auth: false });
  return { link, payment: (await t.req('GET', `/api/v1/payments/${started.body.payment.id}`)).body };
}

const getPdf = (url: string, auth = true) =>
  t.app.server.inject({ method: 'GET', url, headers: auth ? AUTH : {} });

describe('receipts', () => {
  it('the PDF says who, when, what, the tip, how paid and the refunds, field by field (PDF.js)', async () => {
    const { payment } = await paidPayment('1.00');
    t.clock!.advance(60 * 60_000); // 18:45 in Berlin
    await t.req('POST', `/api/v1/payments/${payment.id}/refund`, { amount: '2.50' });
    const res = await getPdf(`/api/v1/payments/${payment.id}/receipt.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { lines, info } = await pdfText(res.rawPayload);
    const key = (await t.req('GET', '/api/v1/receipts/public-key')).body;
    expect(lines).toEqual([
      'Bäckerei Sonne',
      'Hauptstr. 1',
      '10115 Berlin',
      'VAT ID: DE123456789',
      'TEST MODE — no real money',
      'Receipt',
      'Date Mar 6, 2026, 5:45 PM', // 16:45 UTC in Berlin (CET)
      `Reference ${payment.refId}`,
      `Payment ${payment.id}`,
      '2 × Croissant €5.00',
      '1 × Kaffee €2.50',
      'Subtotal €7.50',
      'Tip €1.00',
      'Total paid €8.50',
      'Paid with Test payment (simulator)',
      'Refund on Mar 6, 2026, 6:45 PM -€2.50',
      'Refunded in total -€2.50',
      ...lines.slice(17, -2), // the QR code's caption, wrapped beside it
      'Key fingerprint:',
      key.fingerprint,
    ]);
    expect(lines.slice(17, -2).join(' ')).toBe('Scan the code to check this receipt: it is signed with the shop’s Ed25519 key.');
    expect(info.Title).toBe(`Receipt ${payment.refId}`);
  });

  it('its QR code holds the key facts, signed by the shop’s key: an independent Ed25519 (noble) verifies it, a changed fact fails', async () => {
    const { payment } = await paidPayment('0.75');
    const res = await getPdf(`/api/v1/payments/${payment.id}/receipt.pdf`);
    const [qr] = await pdfQrCodes(res.rawPayload);
    expect(qr).toBeDefined();
    const lines = qr!.split('\n');
    expect(lines.slice(0, -1)).toEqual([
      'CLR1',
      'm=Bäckerei Sonne',
      'v=DE123456789',
      `p=${payment.id}`,
      `r=${payment.refId}`,
      `d=${payment.completedAt}`,
      'a=8.25 EUR',
      't=0.75',
      'x=0.00',
      'k=simulator',
      `f=${(await t.req('GET', '/api/v1/receipts/public-key')).body.fingerprint.replace(/ /g, '')}`,
    ]);
    const key = (await t.req('GET', '/api/v1/receipts/public-key')).body;
    expect(key).toEqual({ algorithm: 'Ed25519', publicKey: expect.any(String), fingerprint: expect.stringMatching(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/) });
    const publicKey = Buffer.from(key.publicKey, 'base64');
    expect(publicKey).toHaveLength(32);
    const cut = qr!.lastIndexOf('\ns=');
    const message = Buffer.from(qr!.slice(0, cut), 'utf8');
    const signature = Buffer.from(qr!.slice(cut + 3), 'base64url');
    expect(await ed.verifyAsync(signature, message, publicKey)).toBe(true);
    const forged = Buffer.from(qr!.slice(0, cut).replace('a=8.25 EUR', 'a=80.25 EUR'), 'utf8');
    expect(await ed.verifyAsync(signature, forged, publicKey)).toBe(false);

    // The staff UI's check says the same.
    expect((await t.req('POST', '/api/v1/receipts/verify', { text: qr })).body).toMatchObject({ valid: true, reason: null, facts: { r: payment.refId, a: '8.25 EUR' } });
    expect((await t.req('POST', '/api/v1/receipts/verify', { text: qr!.replace('a=8.25 EUR', 'a=80.25 EUR') })).body).toMatchObject({ valid: false, reason: 'signature' });
    expect((await t.req('POST', '/api/v1/receipts/verify', { text: 'hello' })).body).toMatchObject({ valid: false, reason: 'format' });
  });

  it('the key is made once and kept: the same after a restart, the private half never shown', async () => {
    const before = (await t.req('GET', '/api/v1/receipts/public-key')).body;
    const settings = await t.req('GET', '/api/v1/settings');
    expect(settings.body.receipts).toEqual({ onResultPage: false, email: true, algorithm: 'Ed25519', publicKey: before.publicKey, fingerprint: before.fingerprint });
    if (!onPostgres) {
      const stored = JSON.parse((rawDb(t.app.core).prepare(`SELECT value FROM settings WHERE key = 'receiptSigningKey'`).get() as { value: string }).value);
      expect(settings.text).not.toContain(stored.privateKey);
      expect(settings.text).not.toContain(stored.privateKey.slice(-40));
    }
    await t.app.core.receipts.ensureKey();
    expect((await t.req('GET', '/api/v1/receipts/public-key')).body).toEqual(before);
  });

  it('a payment that did not succeed has no receipt (409); an unknown one is 404', async () => {
    const link = await createLink(t, { amount: '3.00' });
    const started = await t.req('POST', `/pay-by-link/${link.id}/payments`, {}, { auth: false });
    const res = await t.req('GET', `/api/v1/payments/${started.body.payment.id}/receipt.pdf`);
    expectProblem(res, 409, 'payment-not-succeeded');
    expectProblem(await t.req('GET', '/api/v1/payments/pay_unknown/receipt.pdf'), 404, 'not-found');
  });

  it('the payer’s result page links the receipt only when the merchant enables it', async () => {
    const { link, payment } = await paidPayment('0');
    const resultUrl = `/en/pay-by-link/${link.id}/result/${payment.id}`;
    const publicUrl = `/pay-by-link/${link.id}/payments/${payment.id}/receipt.pdf`;
    expect((await t.req('GET', resultUrl, undefined, { auth: false })).text).not.toContain('receipt.pdf');
    expectProblem(await t.req('GET', publicUrl, undefined, { auth: false }), 404, 'not-found');
    const on = await t.req('PATCH', '/api/v1/settings', { receipts: { onResultPage: true } });
    expect(on.body.receipts.onResultPage).toBe(true);
    const page = (await t.req('GET', resultUrl, undefined, { auth: false })).text;
    expect(page).toContain(`href="${publicUrl}"`);
    expect(page).toContain('Download receipt (PDF)');
    const pdf = await getPdf(publicUrl, false);
    expect(pdf.statusCode).toBe(200);
    expect((await pdfText(pdf.rawPayload)).lines).toContain(`Reference ${payment.refId}`);
    // Only through its own link.
    const other = await createLink(t, { amount: '1.00' });
    expectProblem(await t.req('GET', `/pay-by-link/${other.id}/payments/${payment.id}/receipt.pdf`, undefined, { auth: false }), 404, 'not-found');
  });

  it('a shop name outside Latin script still gets its receipt (200, never a 5xx), and the QR keeps the exact name', async () => {
    await t.req('PATCH', '/api/v1/settings', { merchantName: '東京 Café 🍰' });
    const { payment } = await paidPayment('0');
    const res = await getPdf(`/api/v1/payments/${payment.id}/receipt.pdf`);
    expect(res.statusCode).toBe(200);
    const [qr] = await pdfQrCodes(res.rawPayload);
    expect(qr!.split('\n')[1]).toBe('m=東京 Café 🍰');
    expect((await t.req('POST', '/api/v1/receipts/verify', { text: qr })).body.valid).toBe(true);
    await t.req('PATCH', '/api/v1/settings', { merchantName: 'Bäckerei Sonne' });
  });
});
