/**
 * A second till on one hub (issue 11): the owner's staff UI makes a pairing code for the "Bar"
 * point of sale, a counter pairs with it over HTTP, and a second browser runs the staff UI with
 * the desktop bridge carrying that counter's device token. It charges for its own point of sale
 * (no picker), its own counter display shows the QR, a customer pays through the real dialog and
 * simulator, the hub's feed shows the payment with the till's name, and the counter's UI never
 * calls a route that refuses it (403) and offers no refund, settings or links. Screenshots:
 * test-artifacts/screenshots/counter-device-*.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, SCREENSHOTS, decodeQr, staffContext, watchConsole, type RunningApp, openShop, type Shop } from './staff-helpers';

const SLOW = 240_000;

describe.skipIf(!HAS_CHROMIUM)('a paired counter runs the staff UI against the hub (Chromium)', () => {
  let shop: Shop;
  let running: RunningApp;
  let url: string;
  let browser: Browser;
  let barId: string;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOTS, `counter-device-${name}.png`), fullPage });

  beforeAll(async () => {
    shop = await openShop();
    ({ running, url, browser } = shop);
    // The hub's own counter is the default point of sale; the second till serves the bar.
    barId = (await running.app.core.pointsOfSale.create({ name: 'Bar', currency: 'EUR' })).id;
  }, SLOW);

  afterAll(async () => {
    await shop?.close(contexts);
  });

  it(
    'pairs, charges for its own point of sale, its display shows the QR, the hub’s feed shows the payment',
    async () => {
      // The hub: the owner's staff UI makes a pairing code for a till at the bar.
      const hubCtx = await staffContext(browser, url);
      contexts.push(hubCtx);
      const hub = await hubCtx.newPage();
      hub.setDefaultTimeout(15_000);
      watchConsole(hub, consoleErrors);
      await hub.goto(`${url}/settings/staff`);
      await hub.getByTestId('staff-devices').waitFor();
      await hub.getByRole('radio', { name: 'Till (counter)' }).click();
      await hub.getByLabel('Counter', { exact: true }).selectOption({ label: 'Bar' });
      await hub.getByTestId('make-pairing-code').click();
      const shown = hub.getByTestId('pairing-code');
      await shown.waitFor();
      const code = (await shown.locator('.pairing-code').innerText()).replace(/\s/g, '');
      expect(code).toMatch(/^[A-Z2-9]{8}$/);

      // The second till pairs over HTTP and gets its token.
      const paired = await fetch(`${url}/devices/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Till 2' }) });
      expect(paired.status).toBe(201);
      const { token, device } = (await paired.json()) as { token: string; device: { id: string; role: string; pointOfSaleId: string } };
      expect(device).toMatchObject({ role: 'counter', pointOfSaleId: barId });
      await hub.getByRole('button', { name: 'Done' }).click();
      await hub.getByTestId('device-list').getByText('Till 2').waitFor();

      // The hub's feed, open while the till works.
      await hub.goto(`${url}/feed`);
      await hub.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');

      // The till: the staff UI with the desktop bridge carrying the device token (no cookie).
      const tillCtx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'Europe/Berlin', deviceScaleFactor: 1 });
      contexts.push(tillCtx);
      await tillCtx.addInitScript(
        ({ serverUrl, apiKey }) => {
          (window as unknown as { counterlink: unknown }).counterlink = { serverUrl, apiKey, platform: 'linux' };
        },
        { serverUrl: url, apiKey: token },
      );
      const till = await tillCtx.newPage();
      till.setDefaultTimeout(15_000);
      watchConsole(till, consoleErrors);
      const refused: string[] = [];
      const apiCalls: string[] = [];
      till.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/api/') || path.startsWith('/staff/')) apiCalls.push(`${r.request().method()} ${path} ${r.status()}`);
        if (r.status() === 403 || r.status() === 401) refused.push(`${r.request().method()} ${r.url()} ${r.status()}`);
      });
      await till.goto(`${url}/`);
      await till.getByTestId('amount-display').waitFor();
      await till.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');
      // Its own point of sale, named, and no picker; who it is; only what a counter may do.
      await expect(till.locator('.pos-name').innerText()).resolves.toBe('Bar');
      await expect(till.locator('.pos-select').count()).resolves.toBe(0);
      await expect(till.getByTestId('signed-in-user').innerText()).resolves.toContain('Till 2 · Till');
      await expect(till.locator('.merchant-name').innerText()).resolves.toBe('Bakery Bloom');
      const nav = till.getByRole('navigation').first();
      for (const offered of ['Charge', 'Payments', 'Feed']) await expect(nav.getByRole('link', { name: offered }).count(), offered).resolves.toBe(1);
      for (const hidden of ['Links', 'Bank', 'Messages', 'Settings', 'Webhooks']) await expect(nav.getByRole('link', { name: hidden }).count(), hidden).resolves.toBe(0);
      await expect(nav.getByRole('button', { name: 'Log out' }).count()).resolves.toBe(0);
      await expect(till.getByTestId('charge-bank-qr').count()).resolves.toBe(0);
      // The till's counter display (the display page of its point of sale).
      const displayCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      contexts.push(displayCtx);
      const display = await displayCtx.newPage();
      display.setDefaultTimeout(15_000);
      watchConsole(display, consoleErrors);
      await display.goto(`${url}/display/${barId}`);
      await display.locator('[data-mode="idle"]').waitFor();

      for (const k of '450') await till.keyboard.press(k);
      await expect(till.getByTestId('amount-display').innerText()).resolves.toBe('€4.50');
      await shot(till, 'charge');
      await till.keyboard.press('Enter');
      await till.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      const link = (await running.app.core.links.list({}, { limit: 1 }, 'test')).data[0]!;
      expect(link).toMatchObject({ amount: '4.50', currency: 'EUR', pointOfSaleId: barId });

      // Its display shows the QR of that charge.
      await display.locator('[data-mode="link"] [data-testid="display-qr"] img').waitFor();
      await expect(display.getByTestId('display-amount').innerText()).resolves.toBe('€4.50');
      const decoded = await decodeQr(display.getByTestId('display-qr'));
      expect(decoded).toBe(link.url);
      await shot(display, 'display-qr');

      // The customer pays on a phone: the real dialog and the simulator.
      const phoneCtx = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-US' });
      contexts.push(phoneCtx);
      const phone = await phoneCtx.newPage();
      phone.setDefaultTimeout(15_000);
      expect((await phone.goto(decoded!))?.status()).toBe(200);
      await phone.getByRole('button', { name: 'Pay €4.50' }).tap();
      await phone.waitForURL(/\/sim\/checkout\/pay_/);
      await phone.getByRole('button', { name: 'Approve payment' }).tap();
      await phone.waitForURL(/\/result\/pay_/);

      await display.locator('[data-mode="result"][data-result="succeeded"]').waitFor();
      await till.locator('[data-testid="charge-live"][data-phase="paid"]').waitFor();
      await shot(till, 'paid');

      // The hub's feed shows the payment, and that the till made the charge.
      const paidRow = hub.locator('[data-type="payment.succeeded"]').first();
      await paidRow.waitFor();
      await expect(paidRow.innerText()).resolves.toContain('€4.50');
      await hub.getByTestId('feed-actor').getByText(/Till 2/).first().waitFor();
      await shot(hub, 'hub-feed');

      // The till's payments: its payment, read-only (no refund).
      const payment = (await running.app.core.payments.list({ linkId: link.id }, { limit: 1 }, 'test')).data[0]!;
      await nav.getByRole('link', { name: 'Payments' }).click();
      await till.getByText(payment.refId).first().waitFor();
      await till.getByText(payment.refId).first().click();
      await till.waitForURL(new RegExp(`/payments/${payment.id}$`));
      await till.getByRole('heading').getByText(payment.refId).waitFor();
      await expect(till.getByTestId('refund').count()).resolves.toBe(0);
      await expect(till.getByRole('button', { name: /Refund/ }).count()).resolves.toBe(0);
      await shot(till, 'payment');
      await nav.getByRole('link', { name: 'Feed' }).click();
      await till.locator('[data-type="payment.succeeded"]').first().waitFor();
      await shot(till, 'feed');

      // Typed in by hand, the hub's pages say where that is done (and call nothing).
      await till.goto(`${url}/settings`);
      await till.getByText('Everything else is done on the hub').waitFor();
      await till.goto(`${url}/links`);
      await till.getByText('Everything else is done on the hub').waitFor();

      // The server would refuse a refund to this token anyway (the UI never tried).
      const refund = await fetch(`${url}/api/v1/payments/${payment.id}/refund`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-counterlink-mode': 'test' }, body: '{}' });
      expect(refund.status).toBe(403);

      expect(refused, apiCalls.join('\n')).toEqual([]);
      expect(apiCalls.some((c) => c.startsWith('GET /api/v1/devices/me 200'))).toBe(true);
      expect(apiCalls.some((c) => c.startsWith('POST /api/v1/charges 201'))).toBe(true);
      expect(consoleErrors).toEqual([]);

      // Revoked on the hub: the till's open feed stream ends, and the till says it is no longer
      // paired (no login screen with the shop's PIN).
      await nav.getByRole('link', { name: 'Feed' }).click();
      await till.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');
      await running.app.core.devices.revoke(device.id);
      await till.getByText('This till is no longer paired with the hub').waitFor();
      await expect(till.getByRole('heading', { name: 'Log in' }).count()).resolves.toBe(0);
      await shot(till, 'revoked');
    },
    SLOW,
  );
});
