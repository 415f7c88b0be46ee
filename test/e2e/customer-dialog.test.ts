/**
 * The customer dialog in a real (headless) Chromium on a phone-sized screen, against a real
 * listening server: tap through pay -> simulator -> result, as a customer would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { App } from '../../server/create-app';
import { startApp, tempDir } from '../support/app';
import { CHROMIUM, HAS_CHROMIUM, SCREENSHOTS, launchPhone } from '../support/browser';

if (!HAS_CHROMIUM) {
  console.warn(`[e2e] ${CHROMIUM} not found: skipping the customer dialog browser tests.`);
}

describe.skipIf(!HAS_CHROMIUM)('customer dialog on a phone (Chromium)', () => {
  let app: App;
  let baseUrl: string;
  let context: BrowserContext;
  /** Every request any page made: the dialog must never talk to anyone but its own server. */
  const requested: string[] = [];
  const consoleErrors: string[] = [];
  let merchantSite: Server;
  let merchantOrigin: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ({ app, url: baseUrl } = await startApp({ listen: true, liveKey: true, prefix: 'counterlink-e2e-' }));
    await app.core.settings.update({ merchantName: 'Bakery Bloom', timeZone: 'Europe/Berlin' });

    // The merchant's own site, on another origin, for the callback redirect.
    merchantSite = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Merchant</title><h1>Back at the merchant</h1><p id="url">${encodeURI(req.url ?? '')}</p>`);
    });
    await new Promise<void>((ok) => merchantSite.listen(0, '127.0.0.1', ok));
    merchantOrigin = `http://127.0.0.1:${(merchantSite.address() as AddressInfo).port}`;

    context = await launchPhone(tempDir('counterlink-chromium-'));
    context.on('request', (r) => requested.push(r.url()));
    context.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    await new Promise((ok) => (merchantSite ? merchantSite.close(ok) : ok(undefined)));
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });

  it('fixed amount: see the amount, tap Pay, approve on the simulator, see success', async () => {
    const link = await app.core.links.create({
      name: 'Birthday cake',
      description: 'Chocolate, 24 cm, with “Happy birthday Mia” — pick up Saturday',
      amount: '34.90',
      lineItems: [
        { name: 'Chocolate cake 24 cm', quantity: 1, unitAmount: '29.90' },
        { name: 'Lettering', quantity: 1, unitAmount: '5.00' },
      ],
      reference: 'Order 1042',
    });
    const page = await newPage();
    const response = await page.goto(`${link.url}?data[customer_id]=c-77`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('.amount').innerText()).resolves.toBe('€34.90');
    await expect(page.locator('h1').innerText()).resolves.toBe('Birthday cake');
    await shot(page, 'dialog-en.png');

    await page.getByRole('button', { name: 'Pay €34.90' }).tap();
    await page.waitForURL(/\/sim\/checkout\/pay_/);
    await expect(page.locator('.test-banner').innerText()).resolves.toContain('TEST MODE');
    await shot(page, 'sim-checkout.png');

    await page.getByRole('button', { name: 'Approve payment' }).tap();
    await page.waitForURL(/\/result\/pay_/);
    await expect(page.locator('h1').innerText()).resolves.toBe('Payment successful');
    await expect(page.locator('.amount').innerText()).resolves.toBe('€34.90');
    await shot(page, 'result-success.png');

    const payments = (await app.core.payments.list({ linkId: link.id }, { limit: 10 })).data;
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'succeeded', amount: '34.90', metadata: { customer_id: 'c-77' } });
    await expect(page.locator('.mono').innerText()).resolves.toBe(payments[0]!.refId);

    // The link is used up now: opening it again shows a friendly page, not the form.
    const again = await page.goto(link.url);
    expect(again?.status()).toBe(410);
    await expect(page.locator('h1').innerText()).resolves.toBe('Already paid');
    await page.close();
  });

  it('open amount in German: type "7,50" with a decimal comma and pay it', async () => {
    const link = await app.core.links.create({
      name: 'Spende Kinderchor',
      description: 'Danke für Ihre Unterstützung!',
      locale: 'de',
      minAmount: '1.00',
      perPaymentAmountLimit: '250.00',
      reuse: 'multiple',
    });
    const page = await newPage();
    await page.goto(link.url);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    await expect(page.locator('#amount-hint').innerText()).resolves.toBe('Zwischen 1,00\u00a0€ und 250,00\u00a0€.');
    const amount = page.getByLabel('Betrag');
    await amount.tap();
    await amount.fill('7,50');
    await page.locator('h1').tap(); // blur: the screenshot shows the filled field, no caret
    await shot(page, 'dialog-open-de.png');

    await page.getByRole('button', { name: 'Bezahlen' }).tap();
    await page.waitForURL(/\/sim\/checkout\/pay_/);
    await expect(page.locator('.amount').innerText()).resolves.toBe('7,50\u00a0€');
    await page.getByRole('button', { name: 'Zahlung bestätigen' }).tap();
    await page.waitForURL(/\/de\/pay-by-link\/.+\/result\//);
    await expect(page.locator('h1').innerText()).resolves.toBe('Zahlung erfolgreich');

    // A point works just as well as a comma; too little is refused on the page, in German.
    await page.goto(link.url);
    await page.getByLabel('Betrag').fill('0.50');
    await page.getByRole('button', { name: 'Bezahlen' }).tap();
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Der Betrag muss mindestens 1,00\u00a0€ sein.');
    await expect(page.getByLabel('Betrag').inputValue()).resolves.toBe('0.50');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('amount');
    await page.locator('h1').tap();
    await shot(page, 'dialog-open-de-error.png');
    await page.getByLabel('Betrag').fill('12.5');
    await page.getByRole('button', { name: 'Bezahlen' }).tap();
    await page.waitForURL(/\/sim\/checkout\/pay_/);
    await expect(page.locator('.amount').innerText()).resolves.toBe('12,50\u00a0€');

    const amounts = (await app.core.payments.list({ linkId: link.id }, { limit: 10 })).data.map((p) => p.amount);
    expect(amounts.sort()).toEqual(['12.50', '7.50']);
    await page.close();
  });

  it('declined, then try again and pay', async () => {
    const link = await app.core.links.create({ name: 'Invoice 2026-0117', amount: '89.00', reference: 'INV-2026-0117' });
    const page = await newPage();
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Pay €89.00' }).tap();
    await page.waitForURL(/\/sim\/checkout\//);
    await page.getByRole('button', { name: 'Decline payment' }).tap();
    await page.waitForURL(/\/result\//);
    await expect(page.locator('h1').innerText()).resolves.toBe('Payment declined');
    await shot(page, 'result-declined.png');

    await page.getByRole('link', { name: 'Try again' }).tap();
    await page.waitForURL(link.url);
    await page.getByRole('button', { name: 'Pay €89.00' }).tap();
    await page.waitForURL(/\/sim\/checkout\//);
    await page.getByRole('button', { name: 'Approve payment' }).tap();
    await page.waitForURL(/\/result\//);
    await expect(page.locator('h1').innerText()).resolves.toBe('Payment successful');
    const statuses = (await app.core.payments.list({ linkId: link.id }, { limit: 10 })).data.map((p) => p.status);
    expect(statuses).toEqual(['succeeded', 'failed']);
    await page.close();
  });

  it('a link that cannot be paid gets a friendly page', async () => {
    const link = await app.core.links.create({ name: 'Table 4', amount: '23.40' });
    await app.core.links.cancel(link.id);
    const page = await newPage();
    const res = await page.goto(link.url.replace('/en/', '/fr/'));
    expect(res?.status()).toBe(410);
    await expect(page.locator('h1').innerText()).resolves.toBe('Lien annulé');
    await shot(page, 'link-unavailable.png');
    await page.close();
  });

  it('a pending result page follows the payment by itself (script polling)', async () => {
    const link = await app.core.links.create({ name: 'Coffee', amount: '3.20' });
    const page = await newPage();
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Pay €3.20' }).tap();
    await page.waitForURL(/\/sim\/checkout\//);
    const paymentId = page.url().split('/sim/checkout/')[1]!.split('?')[0]!;

    // Back to the link: it is locked, but this browser started the payment and may continue it.
    const back = await page.goBack();
    expect(back?.status()).toBe(423);
    await page.getByRole('link', { name: 'Continue my payment' }).waitFor();
    await shot(page, 'link-locked-own.png');
    await page.getByRole('link', { name: 'Continue my payment' }).tap();
    await page.waitForURL(/\/sim\/checkout\//);

    await page.goto(`${baseUrl}/en/pay-by-link/${link.id}/result/${paymentId}`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Waiting for your payment');
    await shot(page, 'result-pending.png');

    // Meanwhile the link is locked for everyone else: 423 and when the lock ends.
    await context.clearCookies(); // another customer: no cookie naming the payment
    const other = await newPage();
    const locked = await other.goto(link.url);
    expect(locked?.status()).toBe(423);
    await expect(other.locator('h1').innerText()).resolves.toBe('Payment in progress');
    await expect(other.locator('[data-locked-until]').innerText()).resolves.toMatch(/available again at \d{1,2}:\d{2}/);
    await shot(other, 'link-locked.png');
    await other.close();

    await app.core.payments.complete(paymentId, 'succeeded'); // e.g. confirmed elsewhere
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Payment successful', undefined, { timeout: 10_000 });
    await page.close();
  });

  it('with a callbackUrl, approving lands on the merchant’s site with status and paymentId', async () => {
    const link = await app.core.links.create({ name: 'Webshop order 5531', amount: '49.00', callbackUrl: `${merchantOrigin}/thanks?order=5531` });
    const page = await newPage();
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Pay €49.00' }).tap();
    await page.waitForURL(/\/sim\/checkout\//);
    const paymentId = page.url().split('/sim/checkout/')[1]!;
    await page.getByRole('button', { name: 'Approve payment' }).tap();
    await page.waitForURL(`${merchantOrigin}/**`);
    const landed = new URL(page.url());
    expect(landed.pathname).toBe('/thanks');
    expect(Object.fromEntries(landed.searchParams)).toEqual({ order: '5531', status: 'succeeded', paymentId });
    await page.close();
  });

  it('made no third-party requests and logged no errors (CSP violations included)', () => {
    const foreign = requested.filter((u) => !u.startsWith(baseUrl) && !u.startsWith(merchantOrigin) && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(consoleErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
