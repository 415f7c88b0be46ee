/**
 * The email as a person sees it: the preview HTML of real sent messages rendered in headless
 * Chromium, saved to test-artifacts/screenshots/email-{en,de}.png (and a phone-width one).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchChromium } from '../support/browser';
import { decodeQr, newLink, startApp, waitForStatus, type MsgApp } from './notifications-fixtures';

let browser: Browser;
let t: MsgApp;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  t = await startApp();
  const res = await t.api('PATCH', '/api/v1/settings', {
    merchantName: 'Velo Werkstatt Müller',
    timeZone: 'Europe/Berlin',
    bankTransfer: { accountHolder: 'Velo Werkstatt Müller', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  });
  expect(res.status, res.text).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function previewOf(locale: 'en' | 'de', message: string): Promise<{ html: string; url: string }> {
  const link = await newLink(t, {
    name: locale === 'de' ? 'Rechnung 2026-014' : 'Invoice 2026-014',
    description: locale === 'de' ? 'Inspektion, neue Kette und Bremsbeläge' : 'Service, new chain and brake pads',
    amount: '129.90',
    reference: 'INV-2026-014',
    expiresAt: '2026-12-31T17:00:00Z',
    locale,
  });
  const res = await t.api('POST', `/api/v1/links/${link.id}/send`, { channel: 'email', to: 'kunde@example.com', message });
  await waitForStatus(t, res.body.id, ['sent']);
  const preview = await t.api('GET', `/api/v1/notifications/${res.body.id}/message`, undefined, { accept: 'text/html' });
  expect(preview.status).toBe(200);
  return { html: preview.text, url: link.url };
}

describe('the payment-request email in a browser', () => {
  for (const [locale, message, expected] of [
    ['en', 'Thanks for your visit!\nYour bike is ready for pickup.', ['Payment request', 'Pay €129.90', 'Amount due', 'Valid until']],
    ['de', 'Vielen Dank für Ihren Besuch!\nIhr Rad ist abholbereit.', ['Zahlungsaufforderung', '129,90 € bezahlen', 'Zu zahlender Betrag', 'Gültig bis']],
  ] as const) {
    it(`renders the ${locale} email cleanly and its QR code scans to the link`, async () => {
      const { html, url } = await previewOf(locale, message);
      const page = await browser.newPage({ viewport: { width: 800, height: 900 }, deviceScaleFactor: 1 });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.setContent(html, { waitUntil: 'load' });
      // innerText applies text-transform (the eyebrow is upper case) and keeps no-break spaces.
      const text = (await page.innerText('body')).replace(/\u00a0/g, ' ');
      for (const s of expected) expect(text.toLowerCase()).toContain(s.toLowerCase());
      expect(text).toContain(url);
      const button = page.locator(`a[href="${url}"]`).first();
      expect(await button.isVisible()).toBe(true);
      // Nothing is fetched from anywhere: the QR code is inline.
      expect(requests.filter((r) => !r.startsWith('data:') && r !== 'about:blank')).toEqual([]);
      // The QR code as rendered on screen decodes to the link.
      const qr = await page.locator('img').first().screenshot();
      expect(decodeQr(qr)).toBe(url);
      // The invoice offers bank transfer: its EPC QR code, as rendered, is what a banking app reads.
      const epc = decodeQr(await page.locator('img').nth(1).screenshot())?.split('\n');
      expect(epc?.slice(0, 8)).toEqual(['BCD', '002', '1', 'SCT', 'COBADEFFXXX', 'Velo Werkstatt Müller', 'DE89370400440532013000', 'EUR129.90']);
      expect(text).toContain('DE89 3704 0044 0532 0130 00');
      // The card fits the 560 px column: no horizontal scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
      await page.screenshot({ path: join(SCREENSHOTS, `email-${locale}.png`), fullPage: true });
      await page.close();
    });
  }

  it('fits a phone screen', async () => {
    const { html } = await previewOf('en', 'See you soon!');
    const page = await browser.newPage({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 });
    await page.setContent(html, { waitUntil: 'load' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SCREENSHOTS, 'email-en-mobile.png'), fullPage: true });
    await page.close();
  });
});
