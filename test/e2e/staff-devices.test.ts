/**
 * Staff users and paired devices in the browser: sign-in picks a user, a cashier is not offered
 * what the role may not do, the owner pairs a device with the code and QR of "Staff & devices",
 * sees it listed and revokes it. Screenshots go to test-artifacts/screenshots/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, SCREENSHOTS, decodeQr, watchConsole, type RunningApp, openShop, type Shop } from './staff-helpers';

const SLOW = 240_000;

describe.skipIf(!HAS_CHROMIUM)('staff users and devices (Chromium)', () => {
  let shop: Shop;
  let running: RunningApp;
  let url: string;
  let browser: Browser;
  let posId: string;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

  beforeAll(async () => {
    shop = await openShop();
    ({ running, url, posId, browser } = shop);
    await running.app.core.staffUsers.create({ name: 'Olga', role: 'owner', pin: '1111' });
    await running.app.core.staffUsers.create({ name: 'Cleo', role: 'cashier', pin: '3333' });
  }, SLOW);

  afterAll(async () => {
    await shop?.close(contexts);
  });

  async function signIn(name: string, pin: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', timezoneId: 'Europe/Berlin' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    watchConsole(page, consoleErrors);
    await page.goto(`${url}/`);
    await page.getByTestId('login-users').waitFor();
    await page.getByRole('radio', { name }).click();
    for (const d of pin) await page.keyboard.press(d);
    return page;
  }

  it(
    'a cashier signs in by name and PIN and is offered only what a cashier may do',
    async () => {
      const page = await signIn('Cleo', '3333');
      await shot(page, 'staff-login-users');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-display').waitFor();
      await expect(page.getByTestId('signed-in-user').innerText()).resolves.toContain('Cleo · Cashier');
      const nav = page.getByRole('navigation').first();
      await expect(nav.getByRole('link', { name: 'Charge' }).count()).resolves.toBe(1);
      for (const hidden of ['Settings', 'Bank', 'Messages', 'Webhooks']) await expect(nav.getByRole('link', { name: hidden }).count(), hidden).resolves.toBe(0);
      await shot(page, 'staff-cashier-charge');

      // Her charge, in the feed, with her name on it.
      for (const d of '250') await page.keyboard.press(d);
      await page.keyboard.press('Enter');
      await page.waitForFunction(async () => {
        const r = await fetch('/api/v1/links?limit=1');
        return r.ok && ((await r.json()) as { data: unknown[] }).data.length === 1;
      });
      await page.getByRole('navigation').first().getByRole('link', { name: 'Feed' }).click();
      await page.getByTestId('feed-actor').first().waitFor();
      await expect(page.getByTestId('feed-actor').first().innerText()).resolves.toContain('by Cleo');
      await shot(page, 'staff-cashier-feed');

      // A paid payment: no refund offered to a cashier (and the server would refuse it).
      // (The staff UI starts in test mode: a test link paid with the simulator.)
      const link = await running.app.core.links.create({ name: 'Coffee', amount: '3.20' }, 'test');
      const { payment } = await running.app.core.payments.start(link.id, {});
      await running.app.core.payments.complete(payment.id, 'succeeded');
      await page.goto(`${url}/payments/${payment.id}`);
      await page.getByText(payment.refId).first().waitFor();
      await expect(page.getByRole('button', { name: /Refund/ }).count()).resolves.toBe(0);
      await page.goto(`${url}/settings`);
      await page.getByText('Your role may not open this page').waitFor();
      await page.goto(`${url}/links`);
      await page.getByRole('heading', { name: 'Links' }).waitFor();
      await expect(page.getByTestId('new-link').count()).resolves.toBe(0);
    },
    SLOW,
  );

  it(
    'the owner pairs a device with the code and its QR, sees it listed, and revokes it',
    async () => {
      const page = await signIn('Olga', '1111');
      await page.keyboard.press('Enter');
      await page.getByTestId('signed-in-user').getByText('Olga · Owner').waitFor();
      await page.goto(`${url}/settings`);
      await page.getByTestId('open-staff-devices').click();
      await page.getByTestId('staff-devices').waitFor();
      // Its own address: a reload (or a bookmark) lands on it again.
      expect(page.url()).toBe(`${url}/settings/staff`);
      await page.reload();
      await page.getByTestId('staff-devices').waitFor();
      await shot(page, 'staff-devices-empty');

      await page.getByRole('radio', { name: 'Customer display' }).click();
      await page.getByTestId('make-pairing-code').click();
      const shown = page.getByTestId('pairing-code');
      await shown.waitFor();
      const code = (await shown.locator('.pairing-code').innerText()).replace(/\s/g, '');
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      await page.waitForTimeout(300); // the QR image decodes from a data URL
      const qr = await decodeQr(shown.locator('.qr'));
      expect(qr).toBe(`${running.app.core.config.baseUrl}/display/${encodeURIComponent(posId)}#pair=${code}`);
      await shot(page, 'staff-devices-pairing-code');

      // The tablet pairs with the code.
      const paired = await fetch(`${url}/devices/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Tablet by the till' }) });
      expect(paired.status).toBe(201);
      const { token } = (await paired.json()) as { token: string };
      await page.getByRole('button', { name: 'Done' }).click();
      const row = page.getByTestId('device-list').getByText('Tablet by the till');
      await row.waitFor();
      await expect(page.getByTestId('device-list').innerText()).resolves.toContain('Customer display');
      await shot(page, 'staff-devices-listed');

      await page.getByTestId('revoke-device').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await page.getByText('No devices paired yet.').waitFor();
      const after = await fetch(`${url}/api/v1/display`, { headers: { authorization: `Bearer ${token}` } });
      expect(after.status).toBe(401);

      // A new cashier from the same screen.
      await page.getByTestId('add-user').getByLabel('Name').fill('Noah');
      await page.getByTestId('add-user').getByLabel('PIN').fill('2468');
      await page.getByTestId('add-user-submit').click();
      await page.getByTestId('user-list').getByText('Noah').waitFor();
      await shot(page, 'staff-devices-users', true);
      expect((await running.app.core.staffUsers.list()).map((u) => `${u.name}:${u.role}`)).toContain('Noah:cashier');
      expect(consoleErrors).toEqual([]);
    },
    SLOW,
  );
});
