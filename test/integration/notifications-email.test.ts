import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeQr, eventTypes, newLink, parseMail, startApp, startSmtp, waitFor, waitForStatus, type MsgApp, type TestSmtp } from './notifications-fixtures';

let t: MsgApp | undefined;
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await t?.close();
  await smtp?.close();
  t = undefined;
  smtp = undefined;
});

describe('email over SMTP (COUNTERLINK_SMTP_URL)', () => {
  it('puts a correct email in the inbox: subject, link, text part and a QR code that decodes to the link', async () => {
    smtp = await startSmtp();
    t = await startApp({ smtpUrl: smtp.url, mailFrom: 'Velo Müller <billing@velo.example>' });
    await t.api('PATCH', '/api/v1/settings', { merchantName: 'Velo Werkstatt Müller' });
    const link = await newLink(t, { reference: 'INV-2026-014' });

    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'Jane.Doe@Example.COM', message: 'Thanks for your visit!' });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ linkId: link.id, channel: 'email', to: 'Jane.Doe@example.com', locale: 'en', status: 'queued', attempts: 0, sentAt: null });

    const sent = await waitForStatus(t, res.body.id, ['sent']);
    expect(sent).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1, lastError: null, sentAt: expect.any(String), deliveredAt: null });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.envelopeTo).toEqual(['Jane.Doe@example.com']);

    const mail = await parseMail(smtp.received[0]!.raw);
    expect(mail.subject).toBe('Velo Werkstatt Müller: payment request for €129.90');
    expect(mail.from?.value[0]).toMatchObject({ address: 'billing@velo.example', name: 'Velo Müller' });
    expect(mail.html).toContain(`href="${link.url}"`);
    expect(mail.html).toContain('cid:qr@counterlink');
    expect(mail.html).toContain('Pay €129.90');
    expect(mail.text).toContain(link.url);
    expect(mail.text).toContain('INV-2026-014');
    expect(mail.text).toContain('Thanks for your visit!');

    const qr = mail.attachments.find((a) => a.cid === 'qr@counterlink');
    expect(qr?.contentType).toBe('image/png');
    expect(decodeQr(qr!.content)).toBe(link.url);

    expect(await eventTypes(t)).toEqual(['notification.queued', 'notification.sent']);
  });

  it('writes the email in the locale asked for (de), escaping what the merchant typed', async () => {
    smtp = await startSmtp();
    t = await startApp({ smtpUrl: smtp.url });
    const link = await newLink(t, { name: 'Rechnung <b>42</b>', amount: '1234.50', locale: 'en' });
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'kunde@example.de', locale: 'de', message: '<script>alert(1)</script>' });
    expect(res.status, res.text).toBe(202);
    expect(res.body.locale).toBe('de');
    await waitForStatus(t, res.body.id, ['sent']);
    const mail = await parseMail(smtp.received[0]!.raw);
    expect(mail.subject).toBe('My shop: Zahlungsaufforderung über 1.234,50\u00a0€');
    expect(mail.html).toContain('Rechnung &lt;b&gt;42&lt;/b&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.headers.get('content-language')).toBe('de');
    expect(decodeQr(mail.attachments[0]!.content)).toBe(link.url);
  });

  it('uses the SMTP settings of PATCH /settings when no environment override is set', async () => {
    smtp = await startSmtp('owner', 'settings-pass-123');
    t = await startApp();
    const patch = await t.api('PATCH', '/api/v1/settings', {
      email: { host: '127.0.0.1', port: smtp.port, security: 'none', user: 'owner', password: 'settings-pass-123', from: 'shop@example.com' },
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.body.email).toMatchObject({ host: '127.0.0.1', port: smtp.port, security: 'none', user: 'owner', passwordSet: true, transport: 'smtp', overriddenByEnvironment: false });
    expect(patch.text).not.toContain('settings-pass-123');
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'a@example.com' });
    await waitForStatus(t, res.body.id, ['sent']);
    expect(smtp.received).toHaveLength(1);
  });
});

describe('email without SMTP: the local outbox', () => {
  it('writes an .eml to {dataDir}/outbox/email, counts it as sent, and previews it', async () => {
    t = await startApp();
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
    const sent = await waitForStatus(t, res.body.id, ['sent']);
    expect(sent).toMatchObject({ transport: 'local-outbox', status: 'sent' });

    const dir = join(t.dataDir, 'outbox', 'email');
    expect(readdirSync(dir)).toEqual([`${res.body.id}.eml`]);
    const mail = await parseMail(readFileSync(join(dir, `${res.body.id}.eml`)));
    expect(mail.subject).toBe('My shop: payment request for €129.90');
    expect(decodeQr(mail.attachments[0]!.content)).toBe(link.url);

    const eml = await t.api('GET', `/api/v1/notifications/${res.body.id}/message?format=eml`);
    expect(eml.status).toBe(200);
    expect(eml.headers.get('content-type')).toMatch(/^message\/rfc822/);
    expect(eml.text).toBe(readFileSync(join(dir, `${res.body.id}.eml`), 'utf8'));

    const html = await t.api('GET', `/api/v1/notifications/${res.body.id}/message`, undefined, { accept: 'text/html' });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.text).toContain('data:image/png;base64,');
    expect(html.text).toContain(link.url);

    const text = await t.api('GET', `/api/v1/notifications/${res.body.id}/message?format=text`);
    expect(text.text).toContain(link.url);

    const report = await t.api('GET', '/api/v1/reports/messages');
    expect(report.body).toMatchObject({ email: { count: 1 }, sms: { count: 0 } });
  });

  it('does not send a link that was paid or cancelled while the message waited', async () => {
    t = await startApp({ listen: false });
    const link = await newLink(t);
    const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'jane@example.com' });
    expect(res.status).toBe(202);
    expect((await t.api('POST', `/api/v1/links/${link.id}/cancel`)).status).toBe(200);
    t.app.core.startWorkers();
    const failed = await waitForStatus(t, res.body.id, ['failed', 'sent']);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Not sent: the link is cancelled.' });
    await waitFor(async () => (await eventTypes(t!)).includes('notification.failed'));
  });
});
