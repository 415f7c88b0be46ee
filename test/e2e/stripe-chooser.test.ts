/**
 * The dialog as a method chooser (issue 9) in a real Chromium on a phone-sized screen, against a
 * real listening app whose Stripe is the local fake: the payer sees bank transfer, card/wallet
 * and (test mode) the simulator as clear choices, picks "Card or wallet", lands on Stripe's page
 * (intercepted here: no internet), pays, and the return page shows paid — asked of Stripe, with no
 * webhook. A live link with nothing available says so kindly. Screenshots:
 * test-artifacts/screenshots/stripe-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { API_KEY, HAS_CHROMIUM, SCREENSHOTS, ensureUiBuilt, launchChromium, staffContext, startApp, type RunningApp } from './staff-helpers';
import { FakeStripe } from '../support/fake-stripe';

const TEST_KEY = 'test-key-stripe-e2e-1';
const LIVE_KEY = API_KEY; // the staff login's key (live mode)

describe.skipIf(!HAS_CHROMIUM)('the method chooser on a phone (Chromium)', () => {
  let browser: Browser;
  let phone: BrowserContext;
  let running: RunningApp;
  let fake: FakeStripe;

  const api = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await ensureUiBuilt();
    fake = await FakeStripe.start();
    running = await startApp({ apiKey: LIVE_KEY, testApiKey: TEST_KEY, stripeApiUrl: fake.url });
    const patch = await api(TEST_KEY, 'PATCH', '/api/v1/settings', {
      merchantName: 'Bakery Bloom',
      bankTransfer: { accountHolder: 'Bakery Bloom GmbH', iban: 'DE89370400440532013000' },
      stripe: { test: { secretKey: 'sk_test_51E2eFakeKey000', webhookSecret: 'whsec_e2eSigningSecret1' } },
    });
    expect(patch.status).toBe(200);
    await running.app.core.stripe.gateway.checkNow();
    browser = await launchChromium();
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'en-US', timezoneId: 'Europe/Berlin' });
    // Stripe's hosted page is on the internet: here a stand-in page answers for it.
    await phone.route('https://checkout.stripe.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Stripe Checkout</title><h1>Stripe Checkout (stand-in)</h1>' }),
    );
  }, 300_000);

  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await running?.app.close();
    await fake?.close();
  });

  const newPage = async (): Promise<Page> => {
    const page = await phone.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };

  it('offers bank transfer, card/wallet and the test simulator with labels and icons; card goes to Stripe and the return page shows paid', async () => {
    const link = await api(TEST_KEY, 'POST', '/api/v1/links', { name: 'Birthday cake', description: 'Chocolate, 12 slices', amount: '34.90' });
    expect(link.status).toBe(201);
    const page = await newPage();
    await page.goto(`${running.url}/en/pay-by-link/${link.body.id}`);
    const choices = page.locator('.method');
    await expect.poll(() => choices.count()).toBe(3);
    const names = await page.locator('.method__name').allInnerTexts();
    expect(names.map((n) => n.replace(/\s+/g, ' ').trim())).toEqual(['Test payment (simulator) TEST', 'Bank transfer', 'Card or wallet']);
    expect(await page.locator('.method svg.method__icon').count()).toBe(3);
    await page.getByLabel(/Card or wallet/).check();
    await page.screenshot({ path: join(SCREENSHOTS, 'stripe-chooser.png'), fullPage: true });

    await page.getByRole('button', { name: /Pay/ }).click();
    await page.waitForURL(/checkout\.stripe\.com/);
    const [sent] = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(sent!.body).toMatchObject({ mode: 'payment', line_items: [{ price_data: { currency: 'eur', unit_amount: '3490' } }] });
    const session = [...fake.sessions.values()][0]!;
    expect(page.url()).toBe(session.url);

    // Paid on Stripe; the webhook never comes: the return page asks Stripe.
    fake.markPaid(session.id);
    await page.goto(session.success_url!);
    await expect.poll(() => page.locator('h1').first().innerText()).toMatch(/paid|successful|received/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'stripe-result.png'), fullPage: true });
    const payment = await api(TEST_KEY, 'GET', `/api/v1/payments/${session.client_reference_id}`);
    expect(payment.body).toMatchObject({ status: 'succeeded', method: 'stripe', providerReference: session.id });
    await page.close();
  });

  it('a live card-only link while live Stripe is not set up says so kindly, with no Pay button to press', async () => {
    const link = await api(LIVE_KEY, 'POST', '/api/v1/links', { name: 'Invoice 2026-014', amount: '120.00', methods: ['stripe'] });
    expect(link.status).toBe(201);
    const page = await newPage();
    await page.goto(`${running.url}/en/pay-by-link/${link.body.id}`);
    await expect.poll(() => page.locator('#no-methods').innerText()).toMatch(/No way to pay right now[\s\S]*Bakery Bloom/);
    expect(await page.locator('.method').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Pay/ }).count()).toBe(0);
    // A live link's page never mentions tests.
    expect(await page.locator('body').innerText()).not.toMatch(/test/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'stripe-nothing-available.png'), fullPage: true });
    await page.close();
  });

  it('staff: the Stripe card takes keys per mode, refuses a test key in the live slot in words, shows the connected account and the webhook URL; the link form offers a choice of methods', async () => {
    const staff = await staffContext(browser, running.url);
    const page = await staff.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${running.url}/settings#stripe`);
    const card = page.locator('.stripe-settings');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('stripe-test-status').getAttribute('data-status')).toBe('connected');
    await expect(card.getByTestId('stripe-test-status').innerText()).resolves.toContain('Fake Shop (acct_1Fake)');
    await expect(card.getByTestId('stripe-webhook-url').innerText()).resolves.toBe(`${running.app.core.config.baseUrl}/hooks/stripe`);

    const live = card.getByTestId('stripe-live');
    await live.getByLabel('Secret key').fill('sk_test_51WrongSlotKey000');
    await live.getByLabel('Webhook signing secret').fill('whsec_liveE2eSecret99');
    await card.getByTestId('stripe-save').click();
    await expect.poll(() => live.locator('.field-error').first().innerText()).toMatch(/other mode/);
    expect((await api(LIVE_KEY, 'GET', '/api/v1/settings')).body.stripe.live.secretKeySet).toBe(false);

    await live.getByLabel('Secret key').fill('sk_live_51RightSlotKey000');
    await card.getByTestId('stripe-save').click();
    await expect.poll(() => live.getByTestId('stripe-live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('connected');
    await card.screenshot({ path: join(SCREENSHOTS, 'stripe-settings.png') });
    expect(await card.innerText()).not.toContain('sk_live_51RightSlotKey000');

    await page.goto(`${running.url}/links/new`);
    const methods = page.getByTestId('link-methods');
    await methods.waitFor();
    await methods.getByLabel(/Every available method/).uncheck();
    await expect.poll(() => methods.locator('.method-choice').allInnerTexts()).toEqual(['Simulator (test)', 'Bank transfer', 'Card (Stripe)']);
    await methods.getByLabel('Simulator (test)').uncheck();
    await methods.getByLabel('Bank transfer').uncheck();
    await page.getByLabel('Name').first().fill('Card only');
    await page.getByLabel('Amount').first().fill('9.90');
    await methods.screenshot({ path: join(SCREENSHOTS, 'stripe-link-methods.png') });
    await page.getByTestId('link-form').locator('button[type="submit"]').last().click();
    await page.waitForURL(/\/links\/pl_/);
    const id = page.url().split('/links/')[1]!;
    expect((await api(TEST_KEY, 'GET', `/api/v1/links/${id}`)).body.methods).toEqual(['stripe']);
    await staff.close();
  });
});
