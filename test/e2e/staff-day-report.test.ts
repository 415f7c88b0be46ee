/**
 * The staff UI at closing time, in Chromium: the Day report screen (totals per method, tips,
 * refunds), closing the day, the CSV export for the accountant (summing to the report), a
 * receipt downloaded from a payment, and the Verify receipt page. Screenshots:
 * test-artifacts/screenshots/day-*.png, receipt-*.png, verify-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HAS_CHROMIUM, SCREENSHOTS, defaultPosId, staffContext, watchConsole, type RunningApp, openShop, type Shop } from './staff-helpers';
import { pdfText } from '../support/pdf-text';

const SLOW = 180_000;

describe.skipIf(!HAS_CHROMIUM)('staff UI: day report, export, receipts (Chromium)', () => {
  let shop: Shop;
  let running: RunningApp;
  let url: string;
  let browser: Browser;
  let staff: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const paymentIds: string[] = [];

  beforeAll(async () => {
    shop = await openShop({ merchantName: 'Café Linde' });
    ({ running, url, browser } = shop);
    const { core } = running.app;
    await core.settings.update({ merchantName: 'Café Linde', address: 'Lindenallee 3\n10115 Berlin', vatId: 'DE123456789', timeZone: 'Europe/Berlin' });
    await core.pointsOfSale.update(await defaultPosId(running.app), { tips: { enabled: true, presets: [5, 10, 15] } });
    for (const [amount, tip] of [['12.80', '1.20'], ['4.50', '0'], ['23.00', '2.00']] as const) {
      const charge = await core.charges.create({ amount }, 'test');
      const { payment } = await core.payments.start(charge.id, { tip });
      await core.payments.complete(payment.id, 'succeeded');
      paymentIds.push(payment.id);
    }
    await core.payments.refund(paymentIds[1]!, '4.50', 'test');
    staff = await staffContext(browser, url);
    page = await staff.newPage();
    page.setDefaultTimeout(15_000);
    watchConsole(page, consoleErrors);
  }, SLOW);

  afterAll(async () => {
    await shop?.close(staff ? [staff] : []);
  });

  it(
    'shows the day per method with tips and refunds, closes it, and exports a CSV that sums to it',
    async () => {
      await page.goto(`${url}/reports`);
      await page.getByTestId('day-totals').waitFor();
      const report = await running.app.core.dayReports.get(undefined, undefined, 'test');
      expect(report).toMatchObject({ count: 3, amount: '43.50', tips: '3.20', refunds: '4.50', net: '39.00' });
      const totals = await page.getByTestId('day-totals').innerText();
      for (const text of ['Payments (3)', '€43.50', '€3.20', 'Refunds (1)', '-€4.50', '€39.00']) expect(totals).toContain(text);
      await expect(page.locator('.day-methods tbody tr').first().innerText()).resolves.toContain('Simulator (test)');
      await page.screenshot({ path: join(SCREENSHOTS, 'day-report.png'), fullPage: true });

      // The accountant's CSV, downloaded from the screen, parsed back.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows.filter((r) => r.type === 'payment')).toHaveLength(3);
      const cents = rows.reduce((s, r) => s + Math.round(Number(r.amount) * 100), 0);
      expect((cents / 100).toFixed(2)).toBe(report.net);

      await page.getByTestId('day-close').click();
      const dialog = page.getByTestId('day-close-dialog');
      await dialog.getByRole('button', { name: 'Close the day' }).waitFor();
      await dialog.screenshot({ path: join(SCREENSHOTS, 'day-close-confirm.png') });
      await dialog.getByRole('button', { name: 'Close the day' }).click();
      // The screen changes once the close is answered: wait for it (a read right after the click
      // can still see the open day).
      await page.getByTestId('day-status').filter({ hasText: /^Closed as no\. 1 on / }).waitFor();
      await page.getByTestId('day-close').waitFor({ state: 'detached' });
      await expect(page.getByTestId('day-close').count()).resolves.toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'day-report-closed.png'), fullPage: true });
    },
    SLOW,
  );

  it(
    'a payment’s receipt downloads as the signed PDF, and the Verify page tells a genuine receipt from a changed one',
    async () => {
      const id = paymentIds[0]!;
      await page.goto(`${url}/payments/${id}`);
      await page.getByTestId('receipt-download').waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'receipt-payment-detail.png') });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-download').click()]);
      const { lines } = await pdfText(readFileSync((await download.path())!));
      const payment = await running.app.core.payments.get(id);
      expect(lines).toContain(`Reference ${payment.refId}`);
      expect(lines).toContain('Tip €1.20');
      expect(lines).toContain('Total paid €14.00');

      const { qrText } = await running.app.core.receipts.forPayment(id, 'test');
      await page.goto(`${url}/receipts/verify`);
      await page.getByTestId('verify-text').fill(qrText);
      await page.getByTestId('verify-submit').click();
      await expect(page.getByTestId('verify-result').innerText()).resolves.toBe('Genuine: signed with this shop’s key, nothing changed.');
      await page.screenshot({ path: join(SCREENSHOTS, 'verify-genuine.png'), fullPage: true });
      await page.getByTestId('verify-text').fill(qrText.replace('a=14.00 EUR', 'a=140.00 EUR'));
      await page.getByTestId('verify-submit').click();
      await page.getByTestId('verify-result').filter({ hasText: 'Not genuine' }).waitFor({ timeout: 10_000 }); // the answer replaces the last one
      await expect(page.getByTestId('verify-result').innerText()).resolves.toBe('Not genuine: the receipt was changed, or signed with another key.');
      await page.screenshot({ path: join(SCREENSHOTS, 'verify-changed.png'), fullPage: true });

      await page.goto(`${url}/settings#receipts`);
      await page.getByTestId('receipts-result-page').waitFor();
      // Receipt emails: on by default; switching them off is saved.
      expect(await page.getByTestId('receipts-email').isChecked()).toBe(true);
      await page.getByTestId('receipts-email').click(); // controlled: it changes once the PATCH is back
      const receiptsEmail = async () => ((await running.app.core.settings.all()) as { receipts: { email: boolean } }).receipts.email;
      for (let i = 0; i < 100 && (await receiptsEmail()); i++) await page.waitForTimeout(50);
      expect(await receiptsEmail()).toBe(false);
      await page.getByTestId('receipts-email').click();
      for (let i = 0; i < 100 && !(await receiptsEmail()); i++) await page.waitForTimeout(50);
      expect(await receiptsEmail()).toBe(true);
      await page.locator('#receipts').screenshot({ path: join(SCREENSHOTS, 'settings-receipts-tips.png') });
      expect(consoleErrors).toEqual([]);
    },
    SLOW,
  );

  it(
    'on a phone the report reads in one column, reached from Settings (the tab bar keeps the counter’s six tabs)',
    async () => {
      const phone = await staffContext(browser, url, { width: 390, height: 844 });
      try {
        const p = await phone.newPage();
        watchConsole(p, consoleErrors);
        await p.goto(`${url}/settings#receipts`);
        await p.getByRole('link', { name: 'Day report' }).last().click();
        await p.getByTestId('day-totals').waitFor();
        expect(await p.locator('.nav-item-dayReport').isVisible()).toBe(false);
        await p.screenshot({ path: join(SCREENSHOTS, 'day-report-phone.png'), fullPage: true });
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        expect(width).toBeLessThanOrEqual(390);
        expect(consoleErrors).toEqual([]);
      } finally {
        await phone.close();
      }
    },
    SLOW,
  );
});
