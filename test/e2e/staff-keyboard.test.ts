/**
 * The counter worked by keyboard only, in a real (headless) Chromium against a real listening
 * app: a key belongs to the focused control (no hijacked Enter), shortcuts reach the screens,
 * a live charge is cancelled for real, a stray Enter refunds nothing, the link form shows all
 * its errors at once. Then axe-core on every main screen, light and dark, with screenshots of
 * each in test-artifacts/screenshots/ (`*-light.png`, `*-dark.png`), and the asset headers.
 *
 * Beyond the shared shop (openShop), test data goes through the HTTP API only (never the core
 * objects), like a shop's own systems.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { API_KEY, CSRF, HAS_CHROMIUM, SCREENSHOTS, watchConsole, openShop, type Shop } from './staff-helpers';
import { UI_OUT_DIR } from '../../renderer/ensure-built';
import { de } from '../../renderer/src/i18n/de';

const SLOW = 180_000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The staff UI starts in test mode: the test's own API calls are in test mode too (a test-mode key). */
const TEST_API_KEY = 'test-mode-key-123456';
const BEARER = { Authorization: `Bearer ${TEST_API_KEY}` };

interface LinkJson {
  id: string;
  status: string;
  amount: string | null;
  url: string;
}
interface PaymentJson {
  id: string;
  status: string;
  refId: string;
  refundedAmount: string;
}

describe.skipIf(!HAS_CHROMIUM)('the counter by keyboard, accessibility and themes (Chromium)', () => {
  let browser: Browser;
  let shop: Shop;
  let url: string;
  let posId: string;
  const consoleErrors: string[] = [];
  const contexts: BrowserContext[] = [];

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...BEARER, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A customer pays a link: the dialog's own endpoints, then the simulator approves. */
  async function pay(linkId: string): Promise<PaymentJson> {
    const started = await fetch(`${url}/pay-by-link/${linkId}/payments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(201);
    const { payment } = (await started.json()) as { payment: { id: string } };
    const done = await fetch(`${url}/sim/checkout/${payment.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ outcome: 'succeeded' }) });
    expect(done.status).toBe(200);
    return (await api<PaymentJson>('GET', `/api/v1/payments/${payment.id}`)).json;
  }

  async function staffContext(options: { colorScheme?: 'light' | 'dark'; locale?: string; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 860 },
      locale: options.locale ?? 'en-US',
      timezoneId: 'Europe/Berlin',
      deviceScaleFactor: 1,
      colorScheme: options.colorScheme ?? 'light',
      // axe is injected as a script tag: the page's strict CSP would refuse it.
      bypassCSP: true,
    });
    contexts.push(context);
    const res = await context.request.post(`${url}/staff/login`, { headers: CSRF, data: { method: 'apiKey', apiKey: API_KEY } });
    expect(res.status()).toBe(200);
    return context;
  }

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchConsole(page, consoleErrors);
    await page.goto(`${url}${path}`);
    return page;
  }

  const activeText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
  const activeTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? '');

  /** Tabs forward until the focused element's text is `text` (as a keyboard-only cashier would). */
  async function tabTo(page: Page, text: string | RegExp, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const now = await activeText(page);
      if (typeof text === 'string' ? now === text : text.test(now)) return;
    }
    throw new Error(`Tab never reached "${String(text)}"`);
  }

  /** Tabs forward until the focused element matches `selector`. */
  async function tabToSelector(page: Page, selector: string, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  const amount = (page: Page) => page.getByTestId('amount-display').innerText();

  /** Until the counter display is at rest again (a paid charge's result shows for a moment). */
  async function displayIdle(): Promise<void> {
    const end = Date.now() + 15_000;
    while ((await api<{ mode: string }>('GET', `/api/v1/display?pointOfSaleId=${posId}`)).json.mode !== 'idle') {
      if (Date.now() > end) throw new Error('the display never went idle');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    shop = await openShop({ testApiKey: TEST_API_KEY });
    ({ url, posId, browser } = shop);
  }, SLOW);

  afterAll(async () => {
    await shop?.close(contexts);
  });

  it(
    'charges, follows links and cancels by keyboard: Enter belongs to the focused control',
    async () => {
      const staff = await staffContext();
      const display = await open(await browser.newContext({ viewport: { width: 1280, height: 800 } }).then((c) => (contexts.push(c), c)), `/display/${posId}`);
      await display.locator('[data-mode="idle"]').waitFor();

      const page = await open(staff, '/');
      await page.getByTestId('amount-display').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="stream-status"]')?.getAttribute('data-status') === 'live');
      for (const k of '1250') await page.keyboard.press(k);
      expect(await amount(page)).toBe('€12.50');

      // Enter on a focused menu item follows it: no charge, no "Enter an amount first".
      await tabTo(page, 'Links');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${url}/links`);
      await page.getByRole('heading', { level: 1, name: 'Links' }).waitFor();
      expect((await api<{ data: LinkJson[] }>('GET', '/api/v1/links')).json.data).toEqual([]);
      // After the navigation the focus is in the page, not stuck on the menu.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

      // Alt+1 is the charge screen; the amount is still there and Enter charges it.
      await page.keyboard.press('Alt+1');
      await page.waitForURL(`${url}/`);
      expect(await amount(page)).toBe('€12.50');
      await tabTo(page, 'Payments');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${url}/payments`);
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.keyboard.press('Alt+1');
      await page.waitForURL(`${url}/`);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      const links = (await api<{ data: LinkJson[] }>('GET', '/api/v1/links')).json.data;
      expect(links).toHaveLength(1);
      expect(links[0]).toMatchObject({ amount: '12.50', status: 'enabled' });
      await display.locator('[data-mode="link"]').waitFor();
      // Big, colour-coded status; this counter's charges beside it.
      await expect(page.getByTestId('charge-phase').innerText()).resolves.toBe('Waiting for the customer to scan');
      await page.locator(`[data-testid="recent-charges"] [data-link-id="${links[0]!.id}"][data-outcome="waiting"]`).waitFor();

      // Cancel by keyboard: Tab to "Cancel charge", Enter presses it (not swallowed).
      await tabTo(page, 'Cancel charge');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"][data-phase="cancelled"]').waitFor();
      expect((await api<LinkJson>('GET', `/api/v1/links/${links[0]!.id}`)).json.status).toBe('cancelled');
      await page.locator(`[data-testid="recent-charges"] [data-link-id="${links[0]!.id}"][data-outcome="cancelled"]`).waitFor();
      await display.locator('[data-mode="idle"]').waitFor();
      // "New charge" has the focus once it is over: Enter starts the next one.
      expect(await activeText(page)).toBe('New charge');
      await page.keyboard.press('Enter');
      expect(await amount(page)).toBe('€0.00');

      // "New charge" while a charge is live asks first; the default answer keeps it.
      for (const k of '500') await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      await display.locator('[data-mode="link"]').waitFor();
      const second = (await api<{ data: LinkJson[] }>('GET', '/api/v1/links', undefined)).json.data.find((l) => l.amount === '5.00')!;
      await tabTo(page, 'New charge');
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('charge-replace');
      await dialog.getByRole('heading', { name: 'Cancel the open charge?' }).waitFor();
      await page.keyboard.press('Enter'); // the focused "Keep it"
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      expect((await api<LinkJson>('GET', `/api/v1/links/${second.id}`)).json.status).toBe('enabled');
      // Asked again and confirmed: the charge is cancelled for real, the display lets it go.
      await page.getByTestId('charge-new').focus();
      await page.keyboard.press('Enter');
      await dialog.getByRole('heading', { name: 'Cancel the open charge?' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await activeText(page)).toBe('Cancel it and start a new one');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-display').waitFor();
      expect((await api<LinkJson>('GET', `/api/v1/links/${second.id}`)).json.status).toBe('cancelled');
      await display.locator('[data-mode="idle"]').waitFor();

      // The keyboard help: "?" opens it, Escape closes it, shortcuts wait meanwhile.
      await page.keyboard.press('?');
      const help = page.getByTestId('shortcuts');
      await help.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
      await expect(help.innerText()).resolves.toContain('Go to Payments');
      await page.keyboard.press('7'); // not typed into the amount behind the dialog
      await page.screenshot({ path: join(SCREENSHOTS, 'shortcuts-light.png') });
      await page.keyboard.press('Escape');
      await help.waitFor({ state: 'hidden' });
      expect(await amount(page)).toBe('€0.00');

      // The reference field takes its own keys; its Enter charges, its Escape leaves it.
      await tabToSelector(page, '[data-charge-key="reference"]');
      await page.keyboard.type('Table 4');
      await page.keyboard.press('Escape');
      expect(await activeTag(page)).not.toBe('INPUT');
      for (const k of '990') await page.keyboard.press(k);
      expect(await amount(page)).toBe('€9.90');
      expect(await page.getByRole('textbox', { name: 'Reference' }).inputValue()).toBe('Table 4');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"][data-phase="waiting"]').waitFor();
      const third = (await api<{ data: LinkJson[] }>('GET', '/api/v1/links')).json.data.find((l) => l.amount === '9.90')!;
      await pay(third.id);
      await page.locator('[data-testid="charge-live"][data-phase="paid"]').waitFor();
      await page.locator(`[data-testid="recent-charges"] [data-link-id="${third.id}"][data-outcome="paid"]`).waitFor();
      await expect(page.getByTestId('charge-phase').innerText()).resolves.toBe('Paid');
      await page.screenshot({ path: join(SCREENSHOTS, 'charge-paid-light.png') });
      await page.keyboard.press('Enter');
      expect(await amount(page)).toBe('€0.00');
      await page.close();
      await display.close();
    },
    SLOW,
  );

  it(
    'finds a payment and refunds it by keyboard; a stray Enter refunds nothing',
    async () => {
      const link = (await api<LinkJson>('POST', '/api/v1/charges', { amount: '20.00', pointOfSaleId: posId })).json;
      const payment = await pay(link.id);
      expect(payment.status).toBe('succeeded');
      await displayIdle();
      const staff = await staffContext();
      const page = await open(staff, '/');
      await page.getByTestId('amount-display').waitFor();
      await page.keyboard.press('Alt+3');
      await page.waitForURL(`${url}/payments`);
      await page.locator(`[data-payment-id="${payment.id}"]`).waitFor();
      // "/" jumps to the search; the refId typed in lower case leaves that payment alone in the list.
      const other = await pay((await api<LinkJson>('POST', '/api/v1/charges', { amount: '3.00', pointOfSaleId: posId })).json.id);
      await displayIdle();
      await page.locator(`[data-payment-id="${other.id}"]`).waitFor();
      await page.keyboard.press('/');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('payments-search');
      await page.keyboard.type(payment.refId.toLowerCase());
      await page.locator(`[data-payment-id="${other.id}"]`).waitFor({ state: 'detached' });
      await expect(page.locator('[data-payment-id]').count()).resolves.toBe(1);
      await tabTo(page, payment.refId);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${url}/payments/${payment.id}`);
      await tabTo(page, 'Refund');
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('refund-dialog');
      await dialog.getByRole('heading', { name: 'Refund this payment?' }).waitFor();
      await expect(dialog.innerText()).resolves.toContain('Up to €20.00 can be refunded.');
      // The amount field has the focus and is empty: Enter refunds nothing.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('inputmode'))).toBe('decimal');
      await page.keyboard.press('Enter');
      await expect(dialog.locator('.field-error').innerText()).resolves.toBe('Type the amount to refund.');
      expect((await api<PaymentJson>('GET', `/api/v1/payments/${payment.id}`)).json.status).toBe('succeeded');
      await page.keyboard.type('2,50');
      await expect(dialog.getByRole('button', { name: 'Refund €2.50' }).count()).resolves.toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'refund-dialog-light.png') });
      await page.keyboard.press('Enter');
      await page.locator('h1 [data-status="partially_refunded"]').waitFor();
      expect((await api<PaymentJson>('GET', `/api/v1/payments/${payment.id}`)).json).toMatchObject({ status: 'partially_refunded', refundedAmount: '2.50' });
      await page.close();
    },
    SLOW,
  );

  it(
    'the link form shows every error at once beside its field, and focuses the first (English and German)',
    async () => {
      for (const [locale, texts] of [
        ['en-US', { required: 'Required.', decimals: 'EUR allows at most 2 decimals', min: 'Must be at least 1.', future: 'Must lie in the future.', create: 'Create link', many: 'Many times' }],
        ['de-DE', { required: 'Pflichtfeld.', decimals: 'EUR erlaubt höchstens 2 Nachkommastellen.', min: 'Muss mindestens 1 sein.', future: 'Muss in der Zukunft liegen.', create: 'Link erstellen', many: 'Mehrmals' }],
      ] as const) {
        const staff = await staffContext({ locale, viewport: { width: 1280, height: 720 } });
        const page = await open(staff, '/links/new');
        await page.getByTestId('link-form').waitFor();
        await page.getByRole('radio', { name: texts.many }).click();
        await page.locator('[data-field="amount"] input').fill('1.005');
        await page.locator('[data-field="maxUses"] input').fill('0');
        await page.locator('[data-field="expiry"] [data-value="day"]').click();
        await page.locator('[data-field="expiry"] input[type="date"]').fill('2020-01-01');
        await page.getByRole('button', { name: texts.create }).click();
        const error = (field: string) => page.locator(`[data-field="${field}"] .field-error`).innerText();
        await page.locator('[data-field="name"] .field-error').waitFor();
        expect(await error('name')).toBe(texts.required);
        expect(await error('amount')).toBe(texts.decimals);
        expect(await error('maxUses')).toBe(texts.min);
        expect(await error('expiry')).toBe(texts.future);
        // The first invalid field has the focus and is on screen (not 1,400 px above it).
        await page.waitForFunction(() => {
          const el = document.activeElement as HTMLInputElement | null;
          if (!el || el.closest('[data-field]')?.getAttribute('data-field') !== 'name') return false;
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight;
        });
        if (locale === 'en-US') await page.screenshot({ path: join(SCREENSHOTS, 'link-form-errors-light.png') });
        // Fixing a field takes its message away; nothing was created.
        await page.keyboard.type('Coffee');
        expect(await page.locator('[data-field="name"] .field-error').count()).toBe(0);
        expect(await page.locator('.field-error').count()).toBe(3);
        expect((await api<{ data: LinkJson[] }>('GET', '/api/v1/links?q=Coffee')).json.data).toEqual([]);
        await page.close();
      }
    },
    SLOW,
  );

  it(
    'the feed has the chime on by default and today’s takings at the top',
    async () => {
      const staff = await staffContext();
      const page = await open(staff, '/feed');
      await page.locator('[data-testid="feed-status"][data-status="live"]').waitFor();
      expect(await page.getByTestId('sound-toggle').getAttribute('aria-pressed')).toBe('true');
      await page.getByTestId('today').waitFor();
      const link = (await api<LinkJson>('POST', '/api/v1/charges', { amount: '3.10', pointOfSaleId: posId })).json;
      await pay(link.id);
      // What the API says was received today, net of refunds, in cents.
      const all = (await api<{ data: (PaymentJson & { amount: string })[] }>('GET', '/api/v1/payments?limit=200')).json.data;
      const received = all.filter((p) => ['succeeded', 'partially_refunded', 'refunded'].includes(p.status));
      const cents = received.reduce((sum, p) => sum + Math.round(Number(p.amount) * 100) - Math.round(Number(p.refundedAmount) * 100), 0);
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="today-count"]')?.textContent) === n, received.length);
      await expect(page.getByTestId('today-total').innerText()).resolves.toBe(`€${(cents / 100).toFixed(2)}`);
      await expect(page.locator('[data-method]').first().innerText()).resolves.toContain('Simulator (test)');
      // Muting is kept.
      await page.getByTestId('sound-toggle').click();
      await page.reload();
      await page.getByTestId('sound-toggle').waitFor();
      expect(await page.getByTestId('sound-toggle').getAttribute('aria-pressed')).toBe('false');
      await page.getByTestId('sound-toggle').click();
      await page.close();
    },
    SLOW,
  );

  it(
    'follows the device’s dark mode, and the switch overrides it (kept in localStorage)',
    async () => {
      const dark = await staffContext({ colorScheme: 'dark' });
      const page = await open(dark, '/links');
      await page.getByTestId('theme-toggle').waitFor();
      const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
      expect(await theme()).toBe('dark');
      const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(await bg()).toBe('rgb(15, 18, 23)');
      await page.getByTestId('theme-toggle').click();
      expect(await theme()).toBe('light');
      expect(await page.evaluate(() => localStorage.getItem('counterlink.theme'))).toBe('light');
      await page.reload();
      await page.getByTestId('theme-toggle').waitFor();
      expect(await theme()).toBe('light');
      // The counter display (same browser, e.g. the desktop app's second window) follows the switch.
      const display = await open(dark, `/display/${posId}`);
      await display.locator('[data-mode="idle"]').waitFor();
      expect(await display.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await page.getByTestId('theme-toggle').click();
      await display.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      await page.close();
      await display.close();
    },
    SLOW,
  );

  it(
    'axe-core finds no serious or critical violation on any main screen, light and dark (with screenshots)',
    async () => {
      const link = (await api<LinkJson>('POST', '/api/v1/links', { name: 'Tips jar', reuse: 'multiple', minAmount: '1.00', description: 'Thank you!' })).json;
      const charge = (await api<LinkJson>('POST', '/api/v1/charges', { amount: '7.40', pointOfSaleId: posId, reference: 'Table 2' })).json;
      const paid = await pay(charge.id);
      const hook = await api<{ id: string }>('POST', '/api/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['payment.succeeded'] });
      expect(hook.status).toBe(201);
      const screens: { name: string; path: string; ready: string }[] = [
        { name: 'charge', path: '/', ready: '[data-testid="amount-display"]' },
        { name: 'links', path: '/links', ready: '[data-link-id]' },
        { name: 'link-form', path: '/links/new', ready: '[data-testid="link-form"]' },
        { name: 'link-detail', path: `/links/${link.id}`, ready: '[data-testid="link-edit"]' },
        { name: 'payments', path: '/payments', ready: '[data-payment-id]' },
        { name: 'payment-detail', path: `/payments/${paid.id}`, ready: '.big-amount' },
        { name: 'day-report', path: '/reports', ready: '[data-testid="day-totals"]' },
        { name: 'verify-receipt', path: '/receipts/verify', ready: '[data-testid="verify-text"]' },
        { name: 'messages', path: '/messages', ready: 'h1' },
        { name: 'feed', path: '/feed', ready: '[data-testid="today"]' },
        { name: 'settings', path: '/settings', ready: '[data-testid="merchant-form"]' },
        { name: 'webhooks', path: '/webhooks', ready: 'h1' },
        { name: 'webhook-detail', path: `/webhooks/${hook.json.id}`, ready: '[data-testid="endpoint-edit"]' },
        { name: 'poster', path: `/print/links/${link.id}`, ready: '.poster-qr img' },
        { name: 'display', path: `/display/${posId}`, ready: '[data-mode]' },
      ];
      const report: string[] = [];
      await displayIdle();
      for (const colorScheme of ['light', 'dark'] as const) {
        const staff = await staffContext({ colorScheme });
        for (const screen of screens) {
          const page = await open(staff, screen.path);
          await page.locator(screen.ready).first().waitFor();
          await page.waitForFunction(() => !document.querySelector('.toast') && !document.querySelector('.spinner'));
          await page.screenshot({ path: join(SCREENSHOTS, `${screen.name}-${colorScheme}.png`), fullPage: screen.name !== 'display' });
          const found = await runAxe(page);
          for (const v of found) report.push(`${colorScheme} ${screen.name}: ${v}`);
          // One main landmark and one h1 on every page.
          expect(await page.locator('main').count(), `${screen.name} <main>`).toBe(1);
          expect(await page.locator('h1').count(), `${screen.name} <h1>`).toBe(1);
          await page.close();
        }
        // The live charge (big status) and the keyboard help, too.
        const page = await open(staff, '/');
        await page.getByTestId('amount-display').waitFor();
        await page.keyboard.press('4');
        await page.keyboard.press('2');
        await page.keyboard.press('Enter');
        await page.locator('[data-testid="charge-live"][data-phase="waiting"] .qr img').waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, `charge-waiting-${colorScheme}.png`) });
        for (const v of await runAxe(page)) report.push(`${colorScheme} charge-waiting: ${v}`);
        await page.keyboard.press('?');
        await page.getByTestId('shortcuts').getByRole('heading').first().waitFor();
        if (colorScheme === 'dark') await page.screenshot({ path: join(SCREENSHOTS, 'shortcuts-dark.png') });
        for (const v of await runAxe(page)) report.push(`${colorScheme} shortcuts: ${v}`);
        await page.keyboard.press('Escape');
        await page.getByTestId('charge-cancel').click();
        await page.locator('[data-testid="charge-live"][data-phase="cancelled"]').waitFor();
        await page.close();
        // The login page, without a session.
        const anon = await browser.newContext({ viewport: { width: 1024, height: 768 }, colorScheme, bypassCSP: true });
        contexts.push(anon);
        const login = await anon.newPage();
        await login.goto(`${url}/`);
        await login.getByRole('heading', { name: 'Log in' }).waitFor();
        await login.screenshot({ path: join(SCREENSHOTS, `login-${colorScheme}.png`) });
        for (const v of await runAxe(login)) report.push(`${colorScheme} login: ${v}`);
        await login.close();
      }
      expect(report).toEqual([]);
    },
    SLOW,
  );

  it(
    'the charge screen fits a tablet, a short POS terminal and a phone, light and dark',
    async () => {
      await displayIdle();
      for (const [name, viewport] of [
        ['tablet', { width: 1024, height: 768 }],
        ['terminal', { width: 800, height: 480 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        for (const colorScheme of ['light', 'dark'] as const) {
          const page = await open(await staffContext({ viewport, colorScheme }), '/');
          await page.getByTestId('amount-display').waitFor();
          for (const k of '1990') await page.keyboard.press(k);
          // Nothing sideways: the page is no wider than the screen, the charge button is on it.
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
          const box = await page.getByTestId('charge-submit').boundingBox();
          expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
          await page.screenshot({ path: join(SCREENSHOTS, `charge-${name}-${colorScheme}.png`) });
          await page.close();
        }
      }
    },
    SLOW,
  );

  it(
    'speaks German at the counter: live status, recent charges, the "new charge" question, the help',
    async () => {
      await displayIdle();
      const page = await open(await staffContext({ locale: 'de-DE' }), '/');
      await page.getByTestId('amount-display').waitFor();
      for (const k of '1250') await page.keyboard.press(k);
      expect(await amount(page)).toBe('12,50\u00a0€');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"][data-phase="waiting"] .qr img').waitFor();
      await expect(page.getByTestId('charge-phase').innerText()).resolves.toBe('Warte, bis der Kunde scannt');
      await expect(page.getByTestId('recent-charges').innerText()).resolves.toMatch(/Letzte Zahlungen[\s\S]*12,50\u00a0€[\s\S]*Offen/);
      await page.getByTestId('charge-new').focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('charge-replace');
      await dialog.getByRole('heading', { name: 'Offene Zahlung abbrechen?' }).waitFor();
      await expect(dialog.innerText()).resolves.toContain('Die Zahlung über 12,50\u00a0€ ist noch offen');
      await page.screenshot({ path: join(SCREENSHOTS, 'charge-replace-de-light.png') });
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByTestId('amount-display').waitFor();
      await page.keyboard.press('?');
      await page.getByTestId('shortcuts').getByRole('heading', { name: 'Tastenkürzel' }).waitFor();
      await expect(page.getByTestId('shortcuts').innerText()).resolves.toContain('Zu Zahlungen');
      await page.keyboard.press('Escape');
      await page.close();
    },
    SLOW,
  );

  it(
    'tells a German cashier in German that the server cannot be reached, and clears it by itself once it answers',
    async () => {
      const context = await staffContext({ locale: 'de-DE' });
      // Not through open(): the refused requests this test makes are console errors by design.
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${url}/`);
      await page.getByTestId('amount-display').waitFor();
      // The server goes away (as if its machine were switched off): nothing reaches it any more.
      await context.route(/\/(api|readyz|staff)\b/, (route) => route.abort('connectionrefused'));
      for (const k of '700') await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      const band = page.getByTestId('unreachable-band');
      await band.waitFor();
      await expect(band.innerText()).resolves.toContain('Server nicht erreichbar');
      const error = await page.locator('.charge-error').innerText();
      expect(error).toBe(de.problems['server-unreachable']);
      expect(error).not.toMatch(/fetch/i);
      await page.screenshot({ path: join(SCREENSHOTS, 'server-unreachable-de-light.png') });
      // Back: the band's own retry notices it without anyone touching the screen.
      await context.unroute(/\/(api|readyz|staff)\b/);
      await band.waitFor({ state: 'detached', timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="charge-live"] .qr img').waitFor();
      await page.getByTestId('charge-new').focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.close();
    },
    SLOW,
  );

  it('serves the UI assets compressed and cached for good, index.html uncached under the strict CSP', async () => {
    const files = readdirSync(join(UI_OUT_DIR, 'ui'));
    const js = files.find((f) => /^index-[\w-]+\.js$/.test(f))!;
    const css = files.find((f) => /^index-[\w-]+\.css$/.test(f))!;
    for (const [file, encoding] of [
      [js, 'br'],
      [js, 'gzip'],
      [css, 'br'],
    ] as const) {
      const res = await raw(`${url}/ui/${file}`, { 'Accept-Encoding': encoding });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.bytes).toBeLessThan(res.uncompressed / 3);
    }
    const plain = await raw(`${url}/ui/${js}`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await raw(`${url}/payments`, { 'Accept-Encoding': 'br' });
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    // Only the UI's assets: the API's answers are as before.
    const apiRes = await raw(`${url}/api/v1/links`, { 'Accept-Encoding': 'br', ...BEARER });
    expect(apiRes.headers['content-encoding']).toBeUndefined();
  });

  it('had no console errors or CSP violations', () => {
    const unexpected = consoleErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
    expect(unexpected).toEqual([]);
  });

  /** axe-core's serious and critical findings on the page as it is now, one line each. */
  async function runAxe(page: Page): Promise<string[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.targets.join(', ')}`);
  }
});

/** A GET with the bytes as sent (Node's fetch would decompress them), and the file's own size for /ui/ assets. */
function raw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number; uncompressed: number }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => {
        const path = new URL(url).pathname;
        const file = path.startsWith('/ui/') ? join(UI_OUT_DIR, path) : undefined;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, uncompressed: file && existsSync(file) ? statSync(file).size : bytes });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
