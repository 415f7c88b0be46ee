/**
 * Tips through the customer dialog in a real (headless) Chromium on a phone-sized screen: the
 * counter's presets are offered before paying, the Pay button shows the total, the payment
 * carries the tip. Screenshots: test-artifacts/screenshots/tips-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { App } from '../../server/create-app';
import { startApp, tempDir } from '../support/app';
import { CHROMIUM, HAS_CHROMIUM, SCREENSHOTS, launchPhone } from '../support/browser';

if (!HAS_CHROMIUM) console.warn(`[e2e] ${CHROMIUM} not found: skipping the tips browser test.`);

describe.skipIf(!HAS_CHROMIUM)('tips on the customer dialog (phone, Chromium)', () => {
  let app: App;
  let context: BrowserContext;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    app = (await startApp({ listen: true, prefix: 'counterlink-e2e-' })).app;
    await app.core.settings.update({ merchantName: 'Café Linde', timeZone: 'Europe/Berlin' });
    context = await launchPhone(tempDir('counterlink-chromium-'));
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  it('a counter charge with tips on: pick 10 %, the button says the total, pay; then an own amount in German', async () => {
    const pos = (await app.core.pointsOfSale.list())[0]!;
    await app.core.pointsOfSale.update(pos.id, { tips: { enabled: true, presets: [5, 10, 15] } });
    const charge = await app.core.charges.create({ amount: '18.40' }, 'test');
    const page = await newPage();
    await page.goto(charge.url);
    await expect(page.locator('.tips legend').innerText()).resolves.toBe('Add a tip');
    await expect(page.locator('.btn--pay').innerText()).resolves.toBe('Pay €18.40');
    // Other amount's field is hidden until chosen.
    await expect(page.locator('#tip-amount').isVisible()).resolves.toBe(false);
    await page.locator('label.tip', { hasText: '10%' }).tap();
    await expect(page.locator('.btn--pay').innerText()).resolves.toBe('Pay €20.24');
    await page.screenshot({ path: join(SCREENSHOTS, 'tips-dialog.png'), fullPage: true });

    await page.locator('.btn--pay').tap();
    await page.waitForURL(/\/sim\/checkout\/pay_/);
    await page.getByRole('button', { name: 'Approve payment' }).tap();
    await page.waitForURL(/\/result\/pay_/);
    const [payment] = (await app.core.payments.list({ linkId: charge.id }, { limit: 5 })).data;
    expect(payment).toMatchObject({ status: 'succeeded', amount: '20.24', tipAmount: '1.84' });

    const link = await app.core.links.create({ name: 'Kuchen', amount: '4.50', locale: 'de', reuse: 'multiple' }, 'test');
    await page.goto(link.url);
    await page.locator('label.tip', { hasText: 'Anderer Betrag' }).tap();
    await expect(page.locator('#tip-amount').isVisible()).resolves.toBe(true);
    await page.locator('#tip-amount').fill('0,50');
    await expect(page.locator('.btn--pay').innerText()).resolves.toBe('5,00\u00a0€ bezahlen');
    await page.locator('h1').tap();
    await page.screenshot({ path: join(SCREENSHOTS, 'tips-dialog-other-de.png'), fullPage: true });
    await page.locator('.btn--pay').tap();
    await page.waitForURL(/\/sim\/checkout\/pay_/);
    const [own] = (await app.core.payments.list({ linkId: link.id }, { limit: 5 })).data;
    expect(own).toMatchObject({ status: 'pending', amount: '5.00', tipAmount: '0.50' });
    await page.close();
  });
});
