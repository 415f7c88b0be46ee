/**
 * Paying an emailed link by transfer without opening it (API.md "Bank transfer": "emails of links
 * that offer the method"): the email carries the bank details and an EPC QR code with the link's
 * own creditor reference, and a statement credit quoting it pays the link.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeQr, newLink, parseMail, startApp, waitForStatus, type MsgApp } from './notifications-fixtures';
import { camtStatement } from '../support/camt';
import { isValidCreditorReference, normaliseCreditorReference } from '../../core/banking/creditor-reference';
import { AUTH } from '../support/keys';

const IBAN = 'DE89370400440532013000';
const BANK = { accountHolder: 'Velo Werkstatt Müller', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' };

let t: MsgApp;
beforeEach(async () => {
  t = await startApp();
  const res = await t.api('PATCH', '/api/v1/settings', { merchantName: 'Velo Werkstatt Müller', bankTransfer: BANK });
  expect(res.status, res.text).toBe(200);
});
afterEach(async () => {
  await t?.close();
});

/** Sends the link by email and returns the sent message, parsed. */
async function emailOf(linkId: string) {
  const sent = await t.api('POST', `/api/v1/links/${linkId}/send`, { channel: 'email', to: 'kunde@example.com' });
  expect(sent.status, sent.text).toBe(202);
  await waitForStatus(t, sent.body.id, ['sent']);
  const eml = await fetch(`${t.baseUrl}/api/v1/notifications/${sent.body.id}/message?format=eml`, { headers: AUTH });
  expect(eml.status).toBe(200);
  return parseMail(Buffer.from(await eml.arrayBuffer()));
}

/** The EPC QR code of an email, decoded into its lines; undefined when the email has none. */
async function epcOf(linkId: string): Promise<{ lines: string[] | undefined; text: string }> {
  const mail = await emailOf(linkId);
  const epc = mail.attachments.find((a) => a.cid === 'epc-qr@counterlink');
  return { lines: epc ? decodeQr(epc.content)?.split('\n') : undefined, text: mail.text ?? '' };
}

const importStatement = (xml: string) =>
  fetch(`${t.baseUrl}/api/v1/bank-statements`, { method: 'POST', body: xml, headers: { 'content-type': 'application/xml', ...AUTH } }).then(
    async (r) => ({ status: r.status, body: await r.json() }),
  );

describe('the email of a link that offers bank transfer', () => {
  it('carries the details and an EPC QR code with the link’s own reference, the same in every email of that link', async () => {
    const link = await newLink(t, { name: 'Invoice 2026-014', amount: '129.90', reference: 'INV-2026-014' });
    const first = await epcOf(link.id);
    expect(first.lines).toBeDefined();
    const lines = first.lines!;
    // EPC069-12 v002: BCD, 002, 1 (UTF-8), SCT, BIC, name, IBAN, amount, purpose, reference, text, note.
    expect(lines.slice(0, 9)).toEqual(['BCD', '002', '1', 'SCT', 'COBADEFFXXX', 'Velo Werkstatt Müller', IBAN, 'EUR129.90', '']);
    expect(isValidCreditorReference(lines[9]!)).toBe(true);
    expect(lines[10]).toBe('');
    expect(lines[11]).toBe('INV-2026-014');
    // The text part says the same, for a payer who types it in.
    expect(first.text).toContain('DE89 3704 0044 0532 0130 00');
    expect(first.text.replace(/\s/g, '')).toContain(lines[9]);
    const again = await epcOf(link.id);
    expect(again.lines![9]).toBe(lines[9]);
    // No payment exists yet: the reference belongs to the link until money comes.
    const payments = await t.api('GET', `/api/v1/payments?linkId=${link.id}`);
    expect(payments.body.data).toEqual([]);
  });

  it('leaves the transfer out where it cannot stand for one payment: other methods only, several uses, open amounts, other currencies', async () => {
    for (const body of [
      { methods: ['simulator'] },
      { reuse: 'multiple' },
      { amount: undefined },
      { currency: 'CHF' },
    ]) {
      const link = await newLink(t, { ...body });
      const { lines, text } = await epcOf(link.id);
      expect(lines, JSON.stringify(body)).toBeUndefined();
      expect(text).not.toContain('IBAN');
    }
  });

  it('a statement credit quoting the email’s reference starts and pays the link’s transfer payment', async () => {
    const link = await newLink(t, { amount: '129.90' });
    const reference = (await epcOf(link.id)).lines![9]!;
    // The payer's bank writes the reference in lower case with spaces, in the free text.
    const spaced = reference.toLowerCase().replace(/(.{4})/g, '$1 ');
    const res = await importStatement(camtStatement(IBAN, [{ amount: '129.90', ustrd: [`Rechnung ${spaced}`], debtorName: 'Erika Mustermann', ref: 'B1' }]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.matched).toHaveLength(1);
    const paymentId = res.body.matched[0].paymentId;
    const payment = (await t.api('GET', `/api/v1/payments/${paymentId}`)).body;
    expect(payment).toMatchObject({ status: 'succeeded', method: 'sepa_transfer', linkId: link.id, amount: '129.90' });
    expect(payment.bankTransfer).toMatchObject({ source: 'statement', amountReceived: '129.90' });
    expect((await t.api('GET', `/api/v1/links/${link.id}`)).body.status).not.toBe('enabled');

    // The same money again (another transfer quoting it): the link is paid, so it waits for staff.
    const twice = await importStatement(camtStatement(IBAN, [{ amount: '129.90', structured: reference, ref: 'B2' }]));
    expect(twice.body.matched).toEqual([]);
    expect(twice.body.unmatched).toEqual([expect.objectContaining({ reason: 'payment-not-pending' })]);
  });

  it('adds up part payments across statements on the one payment it started', async () => {
    const link = await newLink(t, { amount: '100.00' });
    const reference = normaliseCreditorReference((await epcOf(link.id)).lines![9]!);
    const first = await importStatement(camtStatement(IBAN, [{ amount: '60.00', structured: reference, ref: 'P1' }]));
    const paymentId = first.body.matched[0].paymentId;
    expect((await t.api('GET', `/api/v1/payments/${paymentId}`)).body).toMatchObject({ status: 'pending', bankTransfer: { amountReceived: '60.00' } });
    const second = await importStatement(camtStatement(IBAN, [{ amount: '40.00', structured: reference, ref: 'P2' }]));
    expect(second.body.matched).toEqual([expect.objectContaining({ paymentId })]);
    expect((await t.api('GET', `/api/v1/payments/${paymentId}`)).body).toMatchObject({ status: 'succeeded', bankTransfer: { amountReceived: '100.00' } });
  });

  it('two credits for the link in one statement make one payment, not two', async () => {
    const link = await newLink(t, { amount: '50.00' });
    const reference = (await epcOf(link.id)).lines![9]!;
    const res = await importStatement(
      camtStatement(IBAN, [
        { amount: '20.00', structured: reference, ref: 'S1' },
        { amount: '30.00', structured: reference, ref: 'S2' },
      ]),
    );
    expect(res.body.matched).toHaveLength(2);
    expect(res.body.matched[0].paymentId).toBe(res.body.matched[1].paymentId);
    const list = await t.api('GET', `/api/v1/payments?linkId=${link.id}`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ status: 'succeeded' });
  });

  it('pays the payment the customer started in the dialog when they then pay with the email’s code', async () => {
    const link = await newLink(t, { amount: '12.50' });
    const reference = (await epcOf(link.id)).lines![9]!;
    const started = await t.api('POST', `/pay-by-link/${link.id}/payments`, { method: 'sepa_transfer' });
    expect(started.status, started.text).toBe(201);
    const res = await importStatement(camtStatement(IBAN, [{ amount: '12.50', structured: reference, ref: 'D1' }]));
    expect(res.body.matched).toEqual([expect.objectContaining({ paymentId: started.body.payment.id })]);
    expect((await t.api('GET', `/api/v1/payments/${started.body.payment.id}`)).body.status).toBe('succeeded');
  });

  it('money for a cancelled link changes nothing but is kept for staff', async () => {
    const link = await newLink(t, { amount: '12.50' });
    const reference = (await epcOf(link.id)).lines![9]!;
    expect((await t.api('POST', `/api/v1/links/${link.id}/cancel`)).status).toBe(200);
    const res = await importStatement(camtStatement(IBAN, [{ amount: '12.50', structured: reference, ref: 'C1' }]));
    expect(res.body.unmatched).toEqual([expect.objectContaining({ reason: 'payment-not-pending' })]);
    expect((await t.api('GET', `/api/v1/payments?linkId=${link.id}`)).body.data).toEqual([]);
    const credits = await t.api('GET', '/api/v1/bank-credits?status=unmatched');
    expect(credits.body.data).toEqual([expect.objectContaining({ paymentId: null, amount: '12.50' })]);
  });
});
