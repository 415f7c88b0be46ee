import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone, parseMailbox } from '../../../../core/notifications/addresses';
import { composeSms, smsEncoding, toGsm } from '../../../../core/notifications/sms-text';
import { checkGatewayUrl, parsePrice, parseSmtpUrl } from '../../../../core/notifications/config';
import { composeEmail, composeSmsText, emailModel, emailSubject, type ComposeInput } from '../../../../core/notifications/compose';
import { renderEmailHtml, renderEmailText } from '../../../../core/notifications/email-template';
import { formatMoney } from '../../../../core/notifications/format';
import { smtpFailure } from '../../../../core/notifications/transports';
// Logged URLs are redacted in one place (server/http/log-redaction.ts), delivery-report secrets included.
import { redactRequestUrl as redactUrl, withRequestRedaction as withSecretRedaction } from '../../../../server/http/log-redaction';
import { defaultMerchantSettings } from '../../../../core/settings';
import type { LinkRecord, Locale } from '../../../../core/links/types';
import { ValidationError } from '../../../../core/errors';
import { expectProblem, makeCore, type TestCore } from '../../../support/core';

describe('email addresses', () => {
  it('accepts ordinary addresses and normalises the domain', () => {
    expect(normaliseEmail(' Jane.Doe+shop@Example.COM ')).toBe('Jane.Doe+shop@example.com');
    expect(normaliseEmail("o'brien@mail.example.ie")).toBe("o'brien@mail.example.ie");
    expect(normaliseEmail('kunde@bücher.de')).toBe('kunde@xn--bcher-kva.de');
  });
  it('refuses what is not one deliverable address', () => {
    for (const bad of [
      '',
      'jane',
      'jane@',
      '@example.com',
      'jane@localhost',
      'jane@example',
      'jane@example.c',
      'jane..doe@example.com',
      '.jane@example.com',
      'jane doe@example.com',
      'jane@example.com\nBcc: x@example.com',
      'a@example.com,b@example.com',
      '"quoted"@example.com',
      'jane@-example.com',
      'jane@example.com.',
      `${'a'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`,
    ]) {
      expect(normaliseEmail(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
  it('parses From mailboxes', () => {
    expect(parseMailbox('shop@example.com')).toEqual({ name: null, address: 'shop@example.com' });
    expect(parseMailbox('My Shop <shop@example.com>')).toEqual({ name: 'My Shop', address: 'shop@example.com' });
    expect(parseMailbox('"Müller & Co" <shop@example.com>')).toEqual({ name: 'Müller & Co', address: 'shop@example.com' });
    expect(parseMailbox('My Shop')).toBeUndefined();
    expect(parseMailbox('<a@example.com')).toBeUndefined();
  });
});

describe('phone numbers', () => {
  it('normalises to E.164 with the country given for national numbers', () => {
    expect(normalisePhone('+49 151 2345-6789', null)).toEqual({ ok: true, e164: '+4915123456789' });
    expect(normalisePhone('0151 23456789', 'DE')).toEqual({ ok: true, e164: '+4915123456789' });
    expect(normalisePhone('06 12345678', 'NL')).toEqual({ ok: true, e164: '+31612345678' });
    expect(normalisePhone('(201) 555-0123', 'US')).toEqual({ ok: true, e164: '+12015550123' });
    expect(normalisePhone('0049 151 23456789', 'FR')).toEqual({ ok: true, e164: '+4915123456789' });
    expect(normalisePhone('+33 6 12 34 56 78', 'DE')).toEqual({ ok: true, e164: '+33612345678' });
  });
  it('refuses what is not a valid number, and a national number without a country', () => {
    expect(normalisePhone('0151 23456789', null)).toMatchObject({ ok: false, reason: expect.stringMatching(/country/) });
    expect(normalisePhone('0151 23456789', 'ZZ')).toMatchObject({ ok: false });
    for (const bad of ['12', '+49 151', '+999 1234567', 'abc', '+49 151 23456789 ext. 5', '+4915123456789; rm', '1'.repeat(41)]) {
      expect(normalisePhone(bad, 'DE').ok, bad).toBe(false);
    }
  });
});

describe('SMS text', () => {
  it('counts GSM-7 septets (extension characters twice) and UCS-2 units', () => {
    expect(smsEncoding('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsEncoding('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsEncoding('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsEncoding('Łódź')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsEncoding('ł'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });
  it('replaces look-alikes so text stays GSM-7', () => {
    expect(toGsm('Crêperie « Chez Léa » – 12,50\u00a0€')).toBe('Creperie " Chez Léa " - 12,50 €');
    expect(toGsm('Café’s')).toBe("Café's");
    expect(smsEncoding(toGsm('Crêperie')).encoding).toBe('GSM-7');
  });

  const base = {
    merchant: 'Velo Werkstatt Müller',
    name: 'Invoice 2026-014',
    amount: '€129.90',
    url: 'http://192.168.1.20:4780/en/pay-by-link/pl_2EqUGmPiCh5udFfIKdRzXs',
    message: null,
    locale: 'en' as Locale,
    isPayment: true,
  };
  it('says who, what, how much and the link in one segment', () => {
    const text = composeSms(base);
    expect(text).toBe('Velo Werkstatt Müller: Invoice 2026-014, €129.90. Pay here: http://192.168.1.20:4780/en/pay-by-link/pl_2EqUGmPiCh5udFfIKdRzXs');
    expect(smsEncoding(text).segments).toBe(1);
  });
  it('shortens a long name, then drops it, to stay in one segment', () => {
    const text = composeSms({ ...base, name: 'Annual maintenance contract for the fleet of cargo bikes, including spare parts' });
    expect(smsEncoding(text).segments).toBe(1);
    expect(text).toContain(base.url);
    expect(text).toContain('€129.90');
    expect(text).toContain('Velo Werkstatt Müller');
  });
  it('keeps the link whole when nothing else fits', () => {
    const url = `http://shop.example/${'x'.repeat(150)}`;
    const text = composeSms({ ...base, url });
    expect(text.endsWith(url)).toBe(true);
    const bare = composeSms({ ...base, url: `http://shop.example/${'x'.repeat(130)}` });
    expect(bare).toBe(`Pay here: http://shop.example/${'x'.repeat(130)}`);
  });
  it('is localized, with GSM-7 spaces in amounts', () => {
    for (const [locale, cta] of [
      ['de', 'Jetzt bezahlen:'],
      ['fr', 'Payer ici :'],
      ['nl', 'Betaal hier:'],
    ] as const) {
      const text = composeSms({ ...base, locale, amount: formatMoney(12990, 'EUR', locale) });
      expect(text).toContain(cta);
      expect(smsEncoding(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });
  it('uses the merchant’s note instead of the standard text', () => {
    expect(composeSms({ ...base, message: 'Your\nbike is ready!' })).toBe(`Velo Werkstatt Müller: Your bike is ready! ${base.url}`);
  });
});

describe('messaging configuration', () => {
  it('reads SMTP URLs', () => {
    expect(parseSmtpUrl('smtps://user%40shop.example:p%40ss@mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: 465,
      security: 'tls',
      user: 'user@shop.example',
      password: 'p@ss',
    });
    expect(parseSmtpUrl('smtp://relay.lan:2525')).toEqual({ host: 'relay.lan', port: 2525, security: 'auto', user: null, password: null });
    expect(parseSmtpUrl('smtp://mail.example.com').port).toBe(587);
    expect(() => parseSmtpUrl('http://mail.example.com')).toThrow(/smtp:\/\//);
    let message = '';
    try {
      parseSmtpUrl('smtp://u:Sup3rSecret@');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('Sup3rSecret');
  });
  it('checks gateway URLs and prices', () => {
    expect(checkGatewayUrl('https://sms.example/send')).toBeUndefined();
    expect(checkGatewayUrl('ftp://sms.example')).toMatch(/http/);
    expect(checkGatewayUrl('https://u:p@sms.example')).toMatch(/credentials/);
    expect(parsePrice('0', 'EUR', 'p')).toBe(0);
    expect(parsePrice('0.00', 'EUR', 'p')).toBe(0);
    expect(parsePrice(0, 'EUR', 'p')).toBe(0);
    expect(parsePrice('0.09', 'EUR', 'p')).toBe(9);
    expect(parsePrice('8', 'JPY', 'p')).toBe(8);
    expect(() => parsePrice('0.000', 'EUR', 'p')).toThrow(ValidationError);
    expect(() => parsePrice('0.5', 'JPY', 'p')).toThrow(ValidationError);
    expect(() => parsePrice('-1', 'EUR', 'p')).toThrow(ValidationError);
  });
  it('fails permanently only when the server refused the message or recipient for good', () => {
    expect(smtpFailure(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550, permanent: true, response: '550 no such user' }))).toMatchObject({ retryable: false, statusCode: 550 });
    expect(smtpFailure(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 450, permanent: false }))).toMatchObject({ retryable: true });
    expect(smtpFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toMatchObject({ retryable: true, error: 'SMTP ESOCKET: connect ECONNREFUSED' });
    expect(smtpFailure(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, permanent: true }))).toMatchObject({ retryable: true });
  });
});

describe('the email', () => {
  const link = {
    id: 'pl_test',
    type: 'payment',
    name: 'Invoice <42>',
    description: 'Line one\nLine two & more',
    amount: 12990,
    minAmount: null,
    currency: 'EUR',
    reference: 'INV-42',
    expiresAt: Date.parse('2026-01-31T17:00:00Z'),
    lineItems: [{ name: 'Chain', quantity: 2, unitAmount: 2500 }],
    locale: 'en',
  } as unknown as LinkRecord;
  const input = (over: Partial<ComposeInput> = {}, linkOver: Partial<LinkRecord> = {}): ComposeInput => ({
    notificationId: 'ntf_test',
    link: { ...link, ...linkOver },
    url: 'http://shop.test/en/pay-by-link/pl_test',
    merchant: { ...defaultMerchantSettings(), merchantName: 'Bakery Bloom', timeZone: 'Europe/Berlin' },
    locale: 'en',
    message: null,
    to: 'jane@example.com',
    from: null,
    ...over,
  });

  it('has a localized subject in every locale', () => {
    const subjects = (['en', 'de', 'fr', 'nl'] as const).map((locale) => emailSubject(emailModel(input({ locale }), 'cid:x')).replace(/\u00a0/g, ' '));
    expect(subjects).toEqual([
      'Bakery Bloom: payment request for €129.90',
      'Bakery Bloom: Zahlungsaufforderung über 129,90 €',
      'Bakery Bloom : demande de paiement de 129,90 €',
      'Bakery Bloom: betaalverzoek van € 129,90',
    ]);
    expect(emailSubject(emailModel(input({}, { amount: null, minAmount: 500 }), 'cid:x'))).toBe('Bakery Bloom: payment request');
    expect(emailSubject(emailModel(input({}, { type: 'accountInfo', amount: null }), 'cid:x'))).toBe('Bakery Bloom: Invoice <42>');
  });

  it('escapes everything the merchant typed and shows expiry in the merchant’s zone', () => {
    const html = renderEmailHtml(emailModel(input({ message: '<img src=x onerror=alert(1)>' }), 'cid:qr@counterlink'));
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain('Invoice &lt;42&gt;');
    expect(html).toContain('Line one<br/>');
    expect(html).toContain('&amp; more');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<link'); // no preload hints from React in an email
    expect(html).not.toMatch(/<style|<script/);
    expect(html).toContain('31 January 2026 at 18:00');
    expect(html).toContain('2 × Chain');
    expect(html).toContain('€50.00');
    expect(html).toContain('href="http://shop.test/en/pay-by-link/pl_test"');
  });

  it('shows an open amount with its minimum, and an account-info link without amounts', () => {
    const open = renderEmailText(emailModel(input({}, { amount: null, minAmount: 500 }), 'cid:x'));
    expect(open).toContain('Amount of your choice (Minimum €5.00)');
    expect(open).toContain('Pay now:');
    const info = renderEmailHtml(emailModel(input({}, { type: 'accountInfo', amount: null }), 'cid:x'));
    expect(info).not.toContain('Amount due');
    expect(info).toContain('>Open<');
  });

  it('is a multipart message with a text part and the QR code inline', async () => {
    const { mail, subject } = await composeEmail(input({ from: 'Bloom <hello@bloom.example>' }));
    expect(subject).toBe('Bakery Bloom: payment request for €129.90');
    expect(mail.from).toEqual({ name: 'Bloom', address: 'hello@bloom.example' });
    expect(mail.messageId).toBe('<ntf_test@bloom.example>');
    expect(mail.text).toContain('http://shop.test/en/pay-by-link/pl_test');
    expect(mail.attachments).toMatchObject([{ cid: 'qr@counterlink', contentType: 'image/png', contentDisposition: 'inline' }]);
    expect(composeSmsText(input())).toBe('Bakery Bloom: Invoice <42>, €129.90. Pay here: http://shop.test/en/pay-by-link/pl_test');
  });
});

describe('log redaction', () => {
  it('strips delivery-report secrets from logged URLs', () => {
    expect(redactUrl('/hooks/sms/ntf_1/AbCdEf0123456789AbCdEf0123456789')).toBe('/hooks/sms/ntf_1/[redacted]');
    expect(redactUrl('/hooks/sms/ntf_1/secret?x=1')).toBe('/hooks/sms/ntf_1/[redacted]?x=1');
    expect(redactUrl('/api/v1/links')).toBe('/api/v1/links');
    const options = withSecretRedaction({ level: 'info' }) as { level: string; serializers: { req: (r: unknown) => { url: string; method: string } } };
    expect(options.level).toBe('info');
    expect(options.serializers.req({ method: 'POST', url: '/hooks/sms/ntf_1/s3cr3t', headers: {}, socket: {} })).toMatchObject({ method: 'POST', url: '/hooks/sms/ntf_1/[redacted]' });
    expect(withSecretRedaction(false)).toBe(false);
  });
});

describe('NotificationsService (in-memory core, local outbox)', () => {
  let t: TestCore;
  let dir: string;
  afterEach(async () => {
    await t?.core.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function make(): Promise<TestCore> {
    dir = mkdtempSync(join(tmpdir(), 'counterlink-unit-outbox-'));
    t = await makeCore({ messaging: { outboxDir: dir }, retrySchedule: [1, 1] });
    return t;
  }

  it('queues in one transaction with its event, then the worker writes the outbox file', async () => {
    const { core } = await make();
    const link = await core.links.create({ name: 'Invoice 7', amount: '10.00' });
    const n = await core.notifications.send(link.id, { channel: 'email', to: 'jane@example.com' });
    expect(n).toMatchObject({ status: 'queued', attempts: 0, to: 'jane@example.com' });
    expect((await core.events.after(0, 100)).map((e) => e.type)).toContain('notification.queued');
    expect(await core.store.read(async (tx) => tx.outbox.get((await tx.notifications.get(n.id))!.outboxId))).toMatchObject({
      kind: 'email',
      status: 'queued',
      payload: { notificationId: n.id },
    });

    for (const w of core.notifications.workers) w.start();
    await core.notifications.idle();
    await core.stopWorkers();
    expect(await core.notifications.get(n.id)).toMatchObject({ status: 'sent', attempts: 1, transport: 'local-outbox', cost: '0.00' });
    expect(readFileSync(join(dir, 'email', `${n.id}.eml`), 'utf8')).toContain('Subject: ');
  });

  it('refuses before it queues: 404, 422, 409, 429', async () => {
    const { core, clock } = await make();
    await expectProblem(() => core.notifications.send('pl_nope', { channel: 'email', to: 'a@example.com' }), 'not-found');
    const link = await core.links.create({ name: 'Invoice 8', amount: '10.00' });
    await expectProblem(() => core.notifications.send(link.id, { channel: 'pigeon', to: 'a@example.com' }), 'validation-error');
    await expectProblem(() => core.notifications.send(link.id, { channel: 'sms', to: '0151 23456789' }), 'validation-error');
    await core.settings.update({ country: 'DE' });
    expect((await core.notifications.send(link.id, { channel: 'sms', to: '0151 23456789' })).to).toBe('+4915123456789');
    for (let i = 0; i < 9; i++) await core.notifications.send(link.id, { channel: 'email', to: `c${i}@example.com` });
    const limited = await expectProblem(() => core.notifications.send(link.id, { channel: 'email', to: 'x@example.com' }), 'rate-limited');
    expect(limited.extras.retryAfter).toBe(3600);
    clock.advance(3_600_000);
    expect((await core.notifications.send(link.id, { channel: 'email', to: 'x@example.com' })).status).toBe('queued');
    await core.links.cancel(link.id);
    await expectProblem(() => core.notifications.send(link.id, { channel: 'email', to: 'y@example.com' }), 'link-not-usable');
  });
});
