import { freePort } from '../support/net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLink, listen, makeApp, type TestApp } from './helpers';
import { parseMail, startSmtp, waitFor, type TestSmtp } from './notifications-fixtures';
import { pdfText } from '../support/pdf-text';
import { AUTH } from '../support/keys';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function track<T extends { close(): Promise<void> }>(thing: T): T {
  open.push(thing);
  return thing;
}

/** The app on the run's store (SQLite or PostgreSQL), system clock, workers running, SMTP configured. */
async function app(smtpUrl: string, retrySchedule = [0.05, 0.05]): Promise<TestApp> {
  const t = track(await makeApp({ manualClock: false, smtpUrl, retrySchedule, dialogRateLimit: false }));
  await listen(t);
  const patch = await t.req('PATCH', '/api/v1/settings', { merchantName: 'Bäckerei Sonne', timeZone: 'Europe/Berlin' });
  expect(patch.status, patch.text).toBe(200);
  return t;
}

/** The payer pays through the dialog (JSON) and the simulator; returns the payment. */
async function payWith(t: TestApp, payer: Record<string, unknown> | undefined, link?: { id: string }) {
  const l = link ?? (await createLink(t, { name: 'Frühstück', amount: '12.50', refIdBase: `R${Math.random().toString(36).slice(2, 8)}` }));
  const started = await t.req('POST', `/pay-by-link/${l.id}/payments`, payer ? { payer } : {}, { auth: false });
  expect(started.status, started.text).toBe(201);
  return { link: l, paymentId: started.body.payment.id as string };
}

async function succeed(t: TestApp, paymentId: string) {
  const res = await t.req('POST', `/sim/checkout/${paymentId}`, { outcome: 'succeeded' }, { auth: false });
  expect(res.status, res.text).toBe(200);
  return (await t.req('GET', `/api/v1/payments/${paymentId}`)).body;
}

async function receiptNotifications(t: TestApp, paymentId: string) {
  const res = await t.req('GET', `/api/v1/notifications?kind=receipt&paymentId=${paymentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.data as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function waitSent(t: TestApp, id: string) {
  return waitFor(async () => {
    const n = (await t.req('GET', `/api/v1/notifications/${id}`)).body;
    return n.status === 'sent' ? n : undefined;
  });
}

describe('receipt email', () => {
  it('a payer who left an address gets one email with the receipt PDF (refId and amount in it); a refund does not resend it', async () => {
    const smtp: TestSmtp = track(await startSmtp());
    const t = await app(smtp.url);
    const { paymentId } = await payWith(t, { name: 'Jane', email: 'Jane@Example.com' });
    expect(await receiptNotifications(t, paymentId)).toEqual([]); // nothing before it is paid
    const payment = await succeed(t, paymentId);

    const [n] = await receiptNotifications(t, paymentId);
    expect(n).toMatchObject({ kind: 'receipt', paymentId, linkId: payment.linkId, channel: 'email', to: 'Jane@example.com', locale: 'en' }); // the domain lower-cased
    const sent = await waitSent(t, n.id);
    expect(sent).toMatchObject({ transport: 'smtp', attempts: 1, lastError: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.envelopeTo).toEqual(['Jane@example.com']);

    const mail = await parseMail(smtp.received[0]!.raw);
    expect(mail.subject).toBe('Your receipt from Bäckerei Sonne');
    expect(mail.text).toContain(`Reference: ${payment.refId}`);
    expect(mail.text).toContain('Amount paid: €12.50');
    const pdfs = mail.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    expect(pdfs[0]!.filename).toBe(`receipt-${payment.refId}.pdf`);
    const { lines } = await pdfText(pdfs[0]!.content);
    expect(lines).toContain(`Reference ${payment.refId}`);
    expect(lines).toContain('Total paid €12.50');
    // The same PDF as the staff's receipt (the same text, line by line).
    const staff = await t.app.server.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}/receipt.pdf`, headers: AUTH });
    expect((await pdfText(staff.rawPayload)).lines).toEqual(lines);

    // The staff's preview shows the receipt email's text.
    const preview = await t.req('GET', `/api/v1/notifications/${n.id}/message?format=text`);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.text).toContain(`Reference: ${payment.refId}`);

    // A refund later: no second receipt email.
    const refund = await t.req('POST', `/api/v1/payments/${paymentId}/refund`, { amount: '2.50' });
    expect(refund.status, refund.text).toBeLessThan(300);
    await t.app.core.notifications.idle(5000);
    expect(await receiptNotifications(t, paymentId)).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    // It shows in the ordinary list, with its kind.
    const all = (await t.req('GET', '/api/v1/notifications')).body.data;
    expect(all.map((x: { id: string; kind: string }) => [x.id, x.kind])).toEqual([[n.id, 'receipt']]);
  });

  it('no email without a payer address, nor with receipts.email off; a link send stays kind "link"', async () => {
    const smtp = track(await startSmtp());
    const t = await app(smtp.url);
    const none = await payWith(t, { name: 'No Mail' });
    await succeed(t, none.paymentId);
    expect(await receiptNotifications(t, none.paymentId)).toEqual([]);

    const off = await t.req('PATCH', '/api/v1/settings', { receipts: { email: false } });
    expect(off.status, off.text).toBe(200);
    expect(off.body.receipts.email).toBe(false);
    const optedOut = await payWith(t, { email: 'jane@example.com' });
    await succeed(t, optedOut.paymentId);
    expect(await receiptNotifications(t, optedOut.paymentId)).toEqual([]);

    const bad = await t.req('PATCH', '/api/v1/settings', { receipts: { email: 'yes' } });
    expect(bad.status).toBe(422);

    const link = await createLink(t, { name: 'Invoice', amount: '3.00' });
    const send = await t.req('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'joe@example.com' });
    expect(send.status, send.text).toBe(202);
    expect(send.body).toMatchObject({ kind: 'link', paymentId: null });
    await t.app.core.notifications.idle(5000);
    expect(smtp.received).toHaveLength(1);
    expect((await parseMail(smtp.received[0]!.raw)).to).toMatchObject({ text: 'joe@example.com' });
  });

  it('SMTP down: the receipt email is retried and delivered once the server is back', async () => {
    const port = await freePort();
    const user = 'shop@example.com';
    const pass = 'Smtp-Pa55word-xyz';
    const t = await app(`smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`, Array(20).fill(0.2));
    const { paymentId } = await payWith(t, { email: 'jane@example.com' });
    const payment = await succeed(t, paymentId);
    const [n] = await receiptNotifications(t, paymentId);
    await waitFor(async () => ((await t.req('GET', `/api/v1/notifications/${n.id}`)).body.attempts >= 2 ? true : undefined));
    const waiting = (await t.req('GET', `/api/v1/notifications/${n.id}`)).body;
    expect(waiting).toMatchObject({ status: expect.stringMatching(/^(queued|sending)$/), lastError: expect.stringMatching(/^SMTP /) });

    const smtp = track(await startSmtp(user, pass, port));
    const sent = await waitSent(t, n.id);
    expect(sent.lastError).toBeNull();
    expect(smtp.received).toHaveLength(1);
    const mail = await parseMail(smtp.received[0]!.raw);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect((await pdfText(pdf.content)).lines).toContain(`Reference ${payment.refId}`);
  });

  it('the success applied twice (two completions at once, then the transition again) makes one receipt email', async () => {
    const smtp = track(await startSmtp());
    const t = await app(smtp.url);
    const { paymentId } = await payWith(t, { email: 'jane@example.com' });
    const both = await Promise.all([1, 2].map(() => t.req('POST', `/sim/checkout/${paymentId}`, { outcome: 'succeeded' }, { auth: false })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await expect(t.app.core.transitions.finishAlone(paymentId, 'succeeded')).rejects.toMatchObject({ type: 'payment-not-pending' });
    const receipts = await receiptNotifications(t, paymentId);
    expect(receipts).toHaveLength(1);
    await waitSent(t, receipts[0].id);
    await t.app.core.notifications.idle(5000);
    expect(smtp.received).toHaveLength(1);
    // The store itself refuses a second receipt notification of one payment.
    await expect(
      t.app.core.store.tx(async (tx) => {
        const n = (await tx.notifications.get(receipts[0].id))!;
        await tx.notifications.insert({ ...n, id: 'ntf_duplicate' });
      }),
    ).rejects.toThrow();
  });
});
