/**
 * Tablets pair by scanning the hub's QR (issue 11, brief H1b): nobody types a token. A tablet
 * opens `/display/{posId}#pair=CODE`, pairs as that point of sale's display, drops the code from
 * the address, reads its display with its token (the hub lists it with its last contact), shows a
 * charge's QR, and says so when the shop removes it (and can pair again). A browser opening
 * `/#pair=CODE` becomes a till: it lands on Charge for its point of sale, and signs out with a
 * line saying so when removed. Screenshots: test-artifacts/screenshots/tablet-pairing-*.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { API_KEY, HAS_CHROMIUM, SCREENSHOTS, decodeQr, staffContext, watchConsole, type RunningApp, openShop, type Shop } from './staff-helpers';

const SLOW = 240_000;

describe.skipIf(!HAS_CHROMIUM)('tablets pair from the browser by the hub’s QR (Chromium)', () => {
  let shop: Shop;
  let running: RunningApp;
  let url: string;
  let browser: Browser;
  let posId: string;
  let barId: string;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `tablet-pairing-${name}.png`) });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  const pairingCode = async (role: 'display' | 'counter', pointOfSaleId: string): Promise<string> => {
    const res = await api('POST', '/pairing-codes', { role, pointOfSaleId });
    expect(res.status).toBe(201);
    return res.body.code as string;
  };
  const devices = async (): Promise<{ id: string; name: string; role: string; pointOfSaleId: string; lastSeenAt: string | null }[]> => (await api('GET', '/devices')).body.data;
  const tablet = async (locale = 'en-US'): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale, hasTouch: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };

  beforeAll(async () => {
    shop = await openShop();
    ({ running, url, posId, browser } = shop);
    barId = (await running.app.core.pointsOfSale.create({ name: 'Bar', currency: 'EUR' })).id;
  }, SLOW);

  afterAll(async () => {
    await shop?.close(contexts);
  });

  it(
    'a display tablet pairs from the QR, shows a charge with its token, and says so when the shop removes it',
    async () => {
      const page = await tablet();
      watchConsole(page, consoleErrors);
      const sentAuth: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith(`/display/${posId}/`)) sentAuth.push(r.headers().authorization ?? '');
      });
      const code = await pairingCode('display', posId);
      await page.goto(`${url}/display/${posId}#pair=${code}`);
      await page.locator('[data-mode="idle"]').waitFor();
      // The code is off the address bar, the token kept, and the display reads with it.
      expect(await page.evaluate(() => location.hash)).toBe('');
      expect(page.url()).toBe(`${url}/display/${posId}`);
      const kept = JSON.parse((await page.evaluate(() => localStorage.getItem('counterlink.pairedDisplay'))) ?? 'null');
      expect(kept).toMatchObject({ role: 'display', pointOfSaleId: posId });
      expect(kept.token).toMatch(/^cld_/);
      expect(sentAuth.length).toBeGreaterThan(0);
      expect(sentAuth.every((a) => a === `Bearer ${kept.token}`)).toBe(true);
      await expect(page.getByTestId('display-merchant').innerText()).resolves.toBe('Bakery Bloom');

      // The hub lists it, with its last contact, in the owner's Staff & devices page.
      const listed = (await devices()).find((d) => d.id === kept.deviceId);
      expect(listed).toMatchObject({ name: 'Display tablet', role: 'display', pointOfSaleId: posId });
      expect(listed!.lastSeenAt).not.toBeNull();
      const hubCtx = await staffContext(browser, url);
      contexts.push(hubCtx);
      const hub = await hubCtx.newPage();
      hub.setDefaultTimeout(15_000);
      watchConsole(hub, consoleErrors);
      await hub.goto(`${url}/settings/staff`);
      await hub.getByTestId('device-list').getByText('Display tablet').waitFor();
      await hub.screenshot({ path: join(SCREENSHOTS, 'tablet-pairing-hub-devices.png'), fullPage: true });

      // A charge at that point of sale: the tablet shows its QR.
      const charge = await api('POST', '/charges', { amount: '7.90', pointOfSaleId: posId });
      expect(charge.status).toBe(201);
      await page.locator('[data-mode="link"] [data-testid="display-qr"] img').waitFor();
      await expect(page.getByTestId('display-amount').innerText()).resolves.toBe('€7.90');
      expect(await decodeQr(page.getByTestId('display-qr'))).toBe(charge.body.url);
      await shot(page, 'display-qr');

      // The shop removes it: the tablet says so at once and forgets its token.
      expect((await api('DELETE', `/devices/${kept.deviceId}`)).status).toBe(204);
      await page.locator('[data-mode="removed"]').waitFor();
      await expect(page.getByTestId('display-pair-title').innerText()).resolves.toBe('This display was removed by the shop');
      expect(await page.evaluate(() => localStorage.getItem('counterlink.pairedDisplay'))).toBeNull();
      await shot(page, 'display-removed');

      // …and pairs again with a new code typed on the tablet.
      await page.getByTestId('display-pair-code').fill(await pairingCode('display', posId));
      await page.getByRole('button', { name: 'Pair this display' }).click();
      await page.locator('[data-mode="link"], [data-mode="idle"]').first().waitFor();
      expect((await devices()).filter((d) => d.role === 'display' && d.pointOfSaleId === posId)).toHaveLength(1);
      expect(consoleErrors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
    },
    SLOW,
  );

  it(
    'a used code is refused in words (German tablet), and the public display still works unpaired',
    async () => {
      const code = await pairingCode('display', posId);
      const first = await tablet('de-DE');
      await first.goto(`${url}/display/${posId}#pair=${code}`);
      await first.locator('[data-mode="idle"], [data-mode="link"]').first().waitFor();
      const second = await tablet('de-DE');
      await second.goto(`${url}/display/${posId}#pair=${code}`);
      await second.locator('[data-mode="pair-error"]').waitFor();
      await expect(second.getByTestId('display-pair-title').innerText()).resolves.toBe('Diese Anzeige konnte nicht gekoppelt werden');
      await expect(second.getByTestId('display-pair-detail').innerText()).resolves.toContain('Der Kopplungscode ist ungültig');
      expect(await second.evaluate(() => location.hash)).toBe('');
      await shot(second, 'display-code-used-de');

      const open = await tablet();
      await open.goto(`${url}/display/${barId}`);
      await open.locator('[data-mode="idle"]').waitFor();
      expect(await open.evaluate(() => localStorage.getItem('counterlink.pairedDisplay'))).toBeNull();
    },
    SLOW,
  );

  it(
    'a browser opening /#pair= becomes a till: Charge for its point of sale; removed, it signs out saying so',
    async () => {
      const till = await tablet();
      watchConsole(till, consoleErrors);
      const code = await pairingCode('counter', barId);
      await till.goto(`${url}/#pair=${code}`);
      await till.getByTestId('amount-display').waitFor();
      expect(await till.evaluate(() => location.hash)).toBe('');
      await expect(till.locator('.pos-name').innerText()).resolves.toBe('Bar');
      await expect(till.getByTestId('signed-in-user').innerText()).resolves.toContain('Till tablet');
      const kept = JSON.parse((await till.evaluate(() => localStorage.getItem('counterlink.pairedCounter'))) ?? 'null');
      expect(kept).toMatchObject({ role: 'counter', pointOfSaleId: barId });
      expect((await devices()).find((d) => d.id === kept.deviceId)).toMatchObject({ name: 'Till tablet', role: 'counter' });

      // It charges for the bar, and the bar's display shows the QR.
      const display = await tablet();
      await display.goto(`${url}/display/${barId}`);
      await display.locator('[data-mode="idle"]').waitFor();
      await till.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');
      for (const k of '450') await till.keyboard.press(k);
      await till.keyboard.press('Enter');
      await till.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      await display.locator('[data-mode="link"] [data-testid="display-qr"] img').waitFor();
      await expect(display.getByTestId('display-amount').innerText()).resolves.toBe('€4.50');
      await shot(till, 'till-charge');

      // Removed on the hub: the till signs out with a line saying so, and offers to pair again.
      expect((await api('DELETE', `/devices/${kept.deviceId}`)).status).toBe(204);
      await till.getByTestId('till-signed-out').waitFor();
      await expect(till.getByTestId('till-signed-out').innerText()).resolves.toContain('no longer paired with the hub');
      await shot(till, 'till-removed');
      // Reloaded, it still says so (the dead token stays until staff choose).
      await till.reload();
      await till.getByTestId('till-signed-out').waitFor();
      await till.getByRole('button', { name: 'Forget the pairing and sign in with a PIN' }).click();
      await till.getByRole('button', { name: /API key/i }).or(till.getByTestId('login-users')).or(till.locator('input[type="password"]')).first().waitFor();
      expect(await till.evaluate(() => localStorage.getItem('counterlink.pairedCounter'))).toBeNull();

      // A wrong code at /#pair= is refused in words (a fresh load, as a scanned QR opens).
      await till.goto('about:blank');
      await till.goto(`${url}/#pair=WRONG234`);
      await till.getByTestId('till-pair-failed').waitFor();
      await expect(till.getByTestId('till-pair-failed').innerText()).resolves.toContain('The pairing code is not valid');
      await shot(till, 'till-code-invalid');
    },
    SLOW,
  );
});
