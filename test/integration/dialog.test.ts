/**
 * The public customer dialog through fastify.inject on a real SQLite file: pages, JSON
 * endpoints, form posts, the simulator, result redirects, and that GET never changes state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../server/create-app';
import { startApp } from '../support/app';
import { ManualClock } from '../../core/clock';
import type { LinkInput } from '../../core/links/input';
import type { LinkView } from '../../core/links/view';
import { normaliseAmountInput } from '../../server/dialog/format';
import { MESSAGES } from '../../server/dialog/i18n';

const START = '2026-01-15T10:00:00.000Z';
const LOCK_TTL_MS = 15 * 60_000;
const BASE_URL = 'http://127.0.0.1:1';
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const NBSP = '\u00a0';

let app: App;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(START);
  // Many starts from one address within a minute: the dialog's own rate limit is tested in security-dialog.test.ts.
  app = (await startApp({ prefix: 'counterlink-dialog-', baseUrl: BASE_URL, clock, sweepIntervalMs: 3_600_000, dialogRateLimit: false })).app;
  await app.core.settings.update({ merchantName: 'Corner Café', timeZone: 'UTC' });
});

afterAll(async () => {
  await app.close();
});

// ---- helpers ----------------------------------------------------------------------------------

const get = (url: string, headers: Record<string, string> = {}) => app.server.inject({ method: 'GET', url, headers });

function postJson(url: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.server.inject({
    method: 'POST',
    url,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

function postForm(url: string, fields: Record<string, string>) {
  return app.server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

const makeLink = (input: LinkInput = {}): Promise<LinkView> => app.core.links.create({ name: 'Flat white', amount: '12.50', ...input });
const startPayment = async (linkId: string, input: Record<string, unknown> = {}) => (await app.core.payments.start(linkId, input)).payment;
const dialog = (l: LinkView, locale: string = l.locale) => `/${locale}/pay-by-link/${l.id}`;
const lastEventId = () => app.core.events.lastId();

/** The visible text of an HTML page: tags dropped, entities decoded, whitespace collapsed. */
function visible(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ')
    .trim();
}

function expectHtmlPage(res: LightMyRequestResponse, status: number, lang?: string) {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(status);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'/);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.body.startsWith('<!doctype html><html lang=')).toBe(true);
  expect(res.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
  // No inline script or style: everything would be blocked by the CSP anyway.
  expect(res.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  expect(res.body).not.toMatch(/\sstyle=/);
  expect(res.body).not.toMatch(/<style/);
  // Nothing from another origin.
  expect(res.body).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  if (lang) expect(res.body).toContain(`<html lang="${lang}"`);
}

function expectProblem(res: LightMyRequestResponse, status: number, type: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body.type).toBe(type);
  return body;
}

/** A multiple-use link whose limits are used up by succeeded payments. */
async function exhaustedLink(kind: 'usage' | 'amount'): Promise<LinkView> {
  const l = await makeLink(kind === 'usage' ? { reuse: 'multiple', maxUses: 1 } : { reuse: 'multiple', amount: '5.00', totalAmountLimit: '5.00' });
  await app.core.payments.complete((await startPayment(l.id)).id, 'succeeded');
  return l;
}

// ---- the dialog page --------------------------------------------------------------------------

describe('GET /{locale}/pay-by-link/{linkId}', () => {
  it('renders the payment dialog: merchant, name, description, amount, method, Pay button', async () => {
    const l = await makeLink({ description: 'Oat milk, large', reference: 'Table 7' });
    const res = await get(dialog(l));
    expectHtmlPage(res, 200, 'en');
    expect(res.headers['content-security-policy']).toBe(CSP);
    const text = visible(res.body);
    expect(text).toContain('Corner Café');
    expect(text).toContain('Flat white');
    expect(text).toContain('Oat milk, large');
    expect(text).toContain('Amount due €12.50');
    expect(text).toContain('Table 7');
    expect(text).toContain('Test payment (simulator) TEST');
    expect(text).toContain('Pay €12.50');
    expect(res.body).toContain(`<form class="pay-form" data-busy-form="" action="/pay-by-link/${l.id}/payments" method="post">`);
    expect(res.body).toMatch(/<input type="radio" name="method" checked="" value="simulator"\/>/);
    expect(res.body).toMatch(/<link rel="stylesheet" href="\/assets\/dialog\.css\?v=[0-9a-f]{12}"\/>/);
    expect(res.body).toMatch(/<script src="\/assets\/dialog\.js\?v=[0-9a-f]{12}" defer=""><\/script>/);
  });

  it('escapes whatever merchants and URLs put in: link name, description, line items, data values', async () => {
    await app.core.settings.update({ merchantName: 'Evil <b>Shop</b>' });
    try {
      const l = await makeLink({
        name: '<script>alert("name")</script>',
        description: '<img src=x onerror=alert(1)>',
        amount: null,
        lineItems: [{ name: '</td><script>alert(2)</script>', quantity: 2, unitAmount: '1.25' }],
      });
      const res = await get(`${dialog(l)}?data[order]=${encodeURIComponent('"><script>alert(3)</script>')}`);
      expectHtmlPage(res, 200);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).not.toContain('<img src=x');
      expect(res.body).not.toContain('<b>Shop</b>');
      expect(res.body).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
      expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(res.body).toContain('name="data[order]" value="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
      expect(visible(res.body)).toContain('Evil <b>Shop</b>');
      // The line items add up to the amount: 2 × €1.25.
      expect(visible(res.body)).toContain('2 × €1.25 €2.50');
      expect(visible(res.body)).toContain('Total €2.50');
    } finally {
      await app.core.settings.update({ merchantName: 'Corner Café' });
    }
  });

  it.each([
    ['en', '€12.50', 'Pay €12.50', 'Payment method'],
    ['de', `12,50${NBSP}€`, `12,50${NBSP}€ bezahlen`, 'Zahlungsart'],
    ['fr', `12,50${NBSP}€`, `Payer 12,50${NBSP}€`, 'Moyen de paiement'],
    ['nl', `€${NBSP}12,50`, `€${NBSP}12,50 betalen`, 'Betaalmethode'],
  ])('in %s: translated text and the amount formatted for the locale', async (locale, amount, button, methodLabel) => {
    const l = await makeLink();
    const res = await get(dialog(l, locale));
    expectHtmlPage(res, 200, locale);
    const text = visible(res.body);
    expect(text).toContain(amount);
    expect(text).toContain(button);
    expect(text).toContain(methodLabel);
    // No untranslated keys leak into the page.
    expect(text).not.toMatch(/\b(?:pay|common|error|unavailable|sim|result)\.[a-zA-Z_]+/);
  });

  it('formats by the currency’s exponent and the link’s country (JPY, de-AT)', async () => {
    const jpy = await makeLink({ currency: 'JPY', amount: '1200' });
    expect(visible((await get(dialog(jpy, 'en'))).body)).toContain('Pay ¥1,200');
    const at = await makeLink({ country: 'AT' });
    expect(visible((await get(dialog(at, 'de'))).body)).toContain(`€${NBSP}12,50 bezahlen`);
  });

  it('an unknown locale segment shows the link in its own language; de-AT means de', async () => {
    const l = await makeLink({ locale: 'nl' });
    const es = await get(dialog(l, 'es'));
    expectHtmlPage(es, 200, 'nl');
    expect(visible(es.body)).toContain('Betaalmethode');
    const deAt = await get(dialog(l, 'de-AT'));
    expectHtmlPage(deAt, 200, 'de');
    const junk = await get(`/x.y/pay-by-link/${l.id}`);
    expectHtmlPage(junk, 200, 'nl');
  });

  it('without a locale segment redirects to the link’s language, keeping data[…]', async () => {
    const l = await makeLink({ locale: 'fr' });
    const res = await get(`/pay-by-link/${l.id}?data[a]=1`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/fr/pay-by-link/${l.id}?data%5Ba%5D=1`);
  });

  it('an open amount gets an amount field with the minimum and per-payment limit explained', async () => {
    const l = await makeLink({ amount: null, minAmount: '5.00', perPaymentAmountLimit: '100.00' });
    const res = await get(dialog(l));
    expectHtmlPage(res, 200);
    expect(res.body).toContain('<label class="field__label" for="amount">Amount to pay</label>');
    expect(res.body).toMatch(/<input id="amount" type="text" inputMode="decimal"[^>]*required=""[^>]*name="amount"/);
    expect(res.body).toContain('aria-describedby="amount-hint"');
    expect(visible(res.body)).toContain('Between €5.00 and €100.00.');
    expect(visible(res.body)).toContain('Pay'); // no amount on the button
    const de = await get(dialog(l, 'de'));
    expect(visible(de.body)).toContain(`Zwischen 5,00${NBSP}€ und 100,00${NBSP}€.`);
    expect(de.body).toContain('placeholder="0,00"');

    const onlyMin = await makeLink({ amount: null, minAmount: '2.00' });
    expect(visible((await get(dialog(onlyMin, 'fr'))).body)).toContain(`Minimum 2,00${NBSP}€.`);
    // What is left of a total limit caps the field too.
    const total = await makeLink({ amount: null, reuse: 'multiple', totalAmountLimit: '30.00', perPaymentAmountLimit: '25.00' });
    await app.core.payments.complete((await startPayment(total.id, { amount: '10' })).id, 'succeeded');
    expect(visible((await get(dialog(total))).body)).toContain('Maximum €20.00 per payment.');
  });

  it('carries data[key]=value pairs as hidden inputs (and only those)', async () => {
    const l = await makeLink();
    const res = await get(`${dialog(l)}?data[customer_id]=42&data[campaign]=spring&other=1&data[${'k'.repeat(41)}]=too-long`);
    expect(res.body).toContain('<input type="hidden" name="data[customer_id]" value="42"/>');
    expect(res.body).toContain('<input type="hidden" name="data[campaign]" value="spring"/>');
    expect(res.body).not.toContain('name="other"');
    expect(res.body).not.toContain('too-long');
    // The language links keep them.
    expect(res.body).toContain(`href="/de/pay-by-link/${l.id}?data%5Bcustomer_id%5D=42&amp;data%5Bcampaign%5D=spring"`);
  });
});

// ---- links that cannot be paid ----------------------------------------------------------------

describe('the pay page, kept for its props', () => {
  it('is the same page for the next payer, and a new one when the link, what is left of it or the shop changes', async () => {
    const l = await makeLink({ name: 'Gift card', amount: undefined, reuse: 'multiple', totalAmountLimit: '50.00' });
    const first = await get(dialog(l));
    expect((await get(dialog(l))).body).toBe(first.body);
    await app.core.links.update(l.id, { name: 'Gift card (spring)' });
    expect(visible((await get(dialog(l))).body)).toContain('Gift card (spring)');
    // What is left of the total: a payment of 20.00 leaves 30.00 to pay.
    await app.core.payments.complete((await startPayment(l.id, { amount: '20.00' })).id, 'succeeded');
    expect(visible((await get(dialog(l))).body)).toMatch(/30\.00/);
    await app.core.settings.update({ merchantName: 'Corner Café & Bakery' });
    try {
      expect(visible((await get(dialog(l))).body)).toContain('Corner Café & Bakery');
    } finally {
      await app.core.settings.update({ merchantName: 'Corner Café' });
    }
    // Another language, other data: other pages.
    expect((await get(dialog(l, 'de'))).body).toContain('<html lang="de"');
    expect((await get(`${dialog(l)}?data[table]=7`)).body).toContain('name="data[table]" value="7"');
  });
});

describe('status pages', () => {
  it('404 for an unknown link, in the requested language', async () => {
    const res = await get('/de/pay-by-link/pl_doesnotexist');
    expectHtmlPage(res, 404, 'de');
    expect(visible(res.body)).toContain('Link nicht gefunden');
    const tooLong = await get(`/en/pay-by-link/${'x'.repeat(150)}`);
    expectHtmlPage(tooLong, 404, 'en');
  });

  it('423 while a payment is in progress, saying when the lock ends', async () => {
    const l = await makeLink();
    await startPayment(l.id);
    const res = await get(dialog(l));
    expectHtmlPage(res, 423, 'en');
    const text = visible(res.body);
    expect(text).toContain('Payment in progress');
    expect(text).toMatch(/available again at 10:15\sAM ?\./);
    expect(res.body).toMatch(/<strong>10:15\sAM<\/strong>/);
    expect(res.body).toContain('data-locked-until="2026-01-15T10:15:00.000Z"');
    const de = await get(dialog(l, 'de'));
    expect(visible(de.body)).toContain('ab 10:15 Uhr wieder verfügbar');
  });

  it('423, but the browser that started the payment may continue or cancel it (cookie from the form post)', async () => {
    const l = await makeLink({ locale: 'de' });
    const started = await postForm(`/pay-by-link/${l.id}/payments`, { locale: 'de' });
    expect(started.statusCode).toBe(303);
    const cookie = String(started.headers['set-cookie']);
    const [payment] = (await app.core.payments.list({ linkId: l.id }, { limit: 1 })).data;
    expect(cookie).toBe(`cl_pay_${l.id}=${payment!.id}; Path=/; Max-Age=900; HttpOnly; SameSite=Lax`);
    const mine = await get(dialog(l), { cookie: cookie.split(';')[0]! });
    expectHtmlPage(mine, 423, 'de');
    expect(visible(mine.body)).toContain('Sie haben diese Zahlung auf diesem Gerät begonnen.');
    expect(mine.body).toContain(`<a class="btn btn--primary btn--block" href="/sim/checkout/${payment!.id}">Meine Zahlung fortsetzen</a>`);
    expect(mine.body).toContain(`action="/pay-by-link/${l.id}/payments/${payment!.id}/cancel"`);
    // Anyone else (or a cookie naming another link's payment) sees the plain locked page.
    const other = await makeLink();
    const foreign = await startPayment(other.id);
    for (const c of ['', `cl_pay_${l.id}=${foreign.id}`, `cl_pay_${l.id}=pay_nope`]) {
      const res = await get(dialog(l), c ? { cookie: c } : {});
      expectHtmlPage(res, 423, 'de');
      expect(res.body).not.toContain('/sim/checkout/');
      expect(visible(res.body)).toContain('Erneut prüfen');
    }
    // JSON clients and multiple-use links get no cookie.
    expect((await postJson(`/pay-by-link/${(await makeLink()).id}/payments`, {})).headers['set-cookie']).toBeUndefined();
    expect((await postForm(`/pay-by-link/${(await makeLink({ reuse: 'multiple' })).id}/payments`, {})).headers['set-cookie']).toBeUndefined();
  });

  it('403 for a disabled link', async () => {
    const l = await makeLink();
    await app.core.links.update(l.id, { enabled: false });
    const res = await get(dialog(l, 'fr'));
    expectHtmlPage(res, 403, 'fr');
    expect(visible(res.body)).toContain('Lien suspendu');
  });

  it('410 for consumed, expired, cancelled and limit-reached links', async () => {
    const consumed = await makeLink();
    await app.core.payments.complete((await startPayment(consumed.id)).id, 'succeeded');
    const cancelled = await makeLink();
    await app.core.links.cancel(cancelled.id);
    const usage = await exhaustedLink('usage');
    const amount = await exhaustedLink('amount');
    const expired = await makeLink({ expiresInMinutes: 5 });
    clock.advance(5 * 60_000);
    try {
      const cases: [LinkView, string, string][] = [
        [consumed, 'en', 'Already paid'],
        [expired, 'nl', 'Link verlopen'],
        [cancelled, 'de', 'Link storniert'],
        [usage, 'fr', 'Lien épuisé'],
        [amount, 'en', 'Limit reached'],
      ];
      for (const [l, locale, title] of cases) {
        const res = await get(dialog(l, locale));
        expectHtmlPage(res, 410, locale);
        expect(visible(res.body)).toContain(title);
        expect(res.body).not.toContain('<form');
      }
    } finally {
      clock.advance(1000);
    }
  });

  it('an account-info link is not a payment link here', async () => {
    const l = await app.core.links.create({ name: 'Your IBAN please', type: 'accountInfo' });
    const res = await get(dialog(l));
    expectHtmlPage(res, 404);
    expect(visible(res.body)).toContain('Not a payment link');
  });
});

describe('GET never changes state', () => {
  it('opening dialogs, status pages, the simulator, results and the status endpoint appends no event', async () => {
    const l = await makeLink({ callbackUrl: 'https://shop.example/done' });
    const open = await makeLink({ amount: null });
    const locked = await makeLink();
    const p = await startPayment(locked.id);
    const done = await makeLink();
    const q = await startPayment(done.id);
    await app.core.payments.complete(q.id, 'failed');
    const before = await lastEventId();
    const statuses = [];
    for (const url of [
      dialog(l),
      dialog(open, 'de'),
      dialog(locked),
      `/pay-by-link/${l.id}`,
      `/sim/checkout/${p.id}`,
      `/en/pay-by-link/${locked.id}/result/${p.id}`,
      `/en/pay-by-link/${done.id}/result/${q.id}`,
      `/pay-by-link/${locked.id}/payments/${p.id}`,
      '/de/pay-by-link/pl_unknown',
    ]) {
      statuses.push((await get(url)).statusCode);
      statuses.push((await app.server.inject({ method: 'HEAD', url })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 423, 423, 302, 302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404]);
    expect(await lastEventId()).toBe(before);
    expect((await app.core.payments.get(p.id)).status).toBe('pending');
    expect((await app.core.links.get(locked.id)).status).toBe('locked');
  });
});

// ---- starting a payment: JSON -----------------------------------------------------------------

describe('POST /pay-by-link/{linkId}/payments (JSON)', () => {
  it('201 with the pending payment and where to send the payer', async () => {
    const l = await makeLink({ metadata: { till: '2' } });
    const res = await postJson(`/pay-by-link/${l.id}/payments`, {
      amount: '999.00', // ignored on a fixed amount
      reference: 'Lunch',
      payer: { name: 'Ann', email: 'ann@example.com' },
      data: { customer_id: '42', till: 'mine' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.payment).toMatchObject({
      linkId: l.id,
      status: 'pending',
      amount: '12.50',
      currency: 'EUR',
      method: 'simulator',
      reference: 'Lunch',
      payer: { name: 'Ann', email: 'ann@example.com' },
    });
    // The merchant's own link keys stay private; the payment keeps them with the injected data.
    expect(body.payment).not.toHaveProperty('metadata');
    expect((await app.core.payments.get(body.payment.id)).metadata).toEqual({ customer_id: '42', till: '2' });
    expect(body.payment.refId).toBe(`${l.refIdBase}-0001`);
    expect(body.next).toEqual({ type: 'redirect', url: `${BASE_URL}/sim/checkout/${body.payment.id}` });
    expect((await app.core.links.get(l.id)).status).toBe('locked');
  });

  it('names the checkout language only when it differs from the link’s', async () => {
    const l = await makeLink({ reuse: 'multiple', locale: 'de' });
    const a = (await postJson(`/pay-by-link/${l.id}/payments`, { locale: 'fr' })).json();
    expect(a.next.url).toBe(`${BASE_URL}/sim/checkout/${a.payment.id}?locale=fr`);
    const b = (await postJson(`/pay-by-link/${l.id}/payments`, {})).json();
    expect(b.next.url).toBe(`${BASE_URL}/sim/checkout/${b.payment.id}`);
  });

  it('an open amount takes a decimal string or an exact JSON number, and requires one', async () => {
    const l = await makeLink({ amount: null, reuse: 'multiple' });
    expect((await postJson(`/pay-by-link/${l.id}/payments`, { amount: '7.5' })).json().payment.amount).toBe('7.50');
    expect((await postJson(`/pay-by-link/${l.id}/payments`, { amount: 3.25 })).json().payment.amount).toBe('3.25');
    const missing = expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, {}), 422, 'validation-error');
    expect(missing.errors[0].path).toBe('amount');
    // The JSON API is strict: no decimal commas there.
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { amount: '7,50' }), 422, 'validation-error');
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { amount: '1.005' }), 422, 'validation-error');
  });

  it('422 for bad fields, 400 for malformed JSON, 404 for an unknown link, 415 for other bodies', async () => {
    const l = await makeLink({ reuse: 'multiple' });
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { method: 'card' }), 422, 'validation-error');
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { payer: { email: 'not-an-email' } }), 422, 'validation-error');
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { surprise: true }), 422, 'validation-error');
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { data: { k: { nested: true } } }), 422, 'validation-error');
    const bad = await app.server.inject({ method: 'POST', url: `/pay-by-link/${l.id}/payments`, headers: { 'content-type': 'application/json' }, payload: '{"amount":' });
    expectProblem(bad, 400, 'bad-request');
    expectProblem(await postJson('/pay-by-link/pl_nope/payments', {}), 404, 'not-found');
    const plain = await app.server.inject({ method: 'POST', url: `/pay-by-link/${l.id}/payments`, headers: { 'content-type': 'text/plain' }, payload: 'amount=1' });
    expectProblem(plain, 415, 'unsupported-media-type');
  });

  it('replays the same Idempotency-Key', async () => {
    const l = await makeLink({ reuse: 'multiple' });
    const headers = { 'idempotency-key': 'k-dialog-1' };
    const a = await postJson(`/pay-by-link/${l.id}/payments`, { reference: 'x' }, headers);
    const b = await postJson(`/pay-by-link/${l.id}/payments`, { reference: 'x' }, headers);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().payment.id).toBe(a.json().payment.id);
    expect((await app.core.links.get(l.id)).usage.pendingCount).toBe(1);
  });

  describe('refusals are 409 problem+json', () => {
    it('link-locked: a single-use link with a payment in progress', async () => {
      const l = await makeLink();
      await postJson(`/pay-by-link/${l.id}/payments`, {});
      const body = expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, {}), 409, 'link-locked');
      expect(body.linkStatus).toBe('locked');
    });

    it('link-not-usable with linkStatus for disabled, consumed, cancelled and limit-reached links', async () => {
      const disabled = await makeLink();
      await app.core.links.update(disabled.id, { enabled: false });
      const consumed = await makeLink();
      await app.core.payments.complete((await startPayment(consumed.id)).id, 'succeeded');
      const cancelled = await makeLink();
      await app.core.links.cancel(cancelled.id);
      const cases: [LinkView, string][] = [
        [disabled, 'disabled'],
        [consumed, 'consumed'],
        [cancelled, 'cancelled'],
        [await exhaustedLink('usage'), 'usage_limit_reached'],
        [await exhaustedLink('amount'), 'amount_limit_reached'],
      ];
      for (const [l, status] of cases) {
        const body = expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, {}), 409, 'link-not-usable');
        expect(body.linkStatus).toBe(status);
      }
    });

    it('usage-limit-reached / amount-limit-reached: pending payments hold their share', async () => {
      const uses = await makeLink({ reuse: 'multiple', maxUses: 1 });
      await startPayment(uses.id);
      expectProblem(await postJson(`/pay-by-link/${uses.id}/payments`, {}), 409, 'usage-limit-reached');
      const total = await makeLink({ reuse: 'multiple', amount: null, totalAmountLimit: '20.00' });
      await startPayment(total.id, { amount: '15' });
      const body = expectProblem(await postJson(`/pay-by-link/${total.id}/payments`, { amount: '10' }), 409, 'amount-limit-reached');
      expect(body.remainingAmount).toBe('5.00');
    });

    it('per-payment-limit-exceeded and amount-too-low', async () => {
      const l = await makeLink({ reuse: 'multiple', amount: null, minAmount: '5.00', perPaymentAmountLimit: '50.00' });
      expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { amount: '50.01' }), 409, 'per-payment-limit-exceeded');
      expect(expectProblem(await postJson(`/pay-by-link/${l.id}/payments`, { amount: '4.99' }), 409, 'amount-too-low').minAmount).toBe('5.00');
      expect((await postJson(`/pay-by-link/${l.id}/payments`, { amount: '50' })).statusCode).toBe(201);
    });
  });
});

// ---- starting a payment: the form (no JavaScript) ---------------------------------------------

describe('POST /pay-by-link/{linkId}/payments (form)', () => {
  it('303 to the simulator checkout, with data[…], payer[…] and reference from flat form keys', async () => {
    const l = await makeLink({ metadata: { till: '2' } });
    const res = await postForm(`/pay-by-link/${l.id}/payments`, {
      locale: 'en',
      method: 'simulator',
      'data[customer_id]': '42',
      'data[till]': 'mine',
      'payer[name]': 'Bo',
      'payer[email]': 'bo@example.com',
      reference: 'Birthday',
    });
    expect(res.statusCode, res.body).toBe(303);
    const [payment] = (await app.core.payments.list({ linkId: l.id }, { limit: 5 })).data;
    expect(res.headers.location).toBe(`/sim/checkout/${payment!.id}`);
    expect(payment).toMatchObject({
      status: 'pending',
      amount: '12.50',
      reference: 'Birthday',
      payer: { name: 'Bo', email: 'bo@example.com' },
      metadata: { customer_id: '42', till: '2' },
    });
  });

  it('the dialog page’s own hidden inputs round-trip: GET with data[…], post the form', async () => {
    const l = await makeLink({ locale: 'de' });
    const page = (await get(`${dialog(l, 'fr')}?data[invoice]=INV-9`)).body;
    const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
    expect(fields).toEqual({ locale: 'fr', 'data[invoice]': 'INV-9' });
    const res = await postForm(`/pay-by-link/${l.id}/payments`, { ...fields, method: 'simulator' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/sim\/checkout\/pay_\w+\?locale=fr$/);
    expect((await app.core.payments.list({ linkId: l.id }, { limit: 5 })).data[0]!.metadata).toEqual({ invoice: 'INV-9' });
  });

  it.each([
    ['de', '7,50', '7.50'],
    ['de', '7.50', '7.50'],
    ['de', '1.234,5', '1234.50'],
    ['fr', `1${NBSP}234,50`, '1234.50'],
    ['fr', '1 234,50', '1234.50'],
    ['nl', ' 12 ', '12.00'],
    ['en', '1,234.56', '1234.56'],
  ])('in %s, the amount field accepts %j as %s', async (locale, typed, stored) => {
    const l = await makeLink({ amount: null });
    const res = await postForm(`/pay-by-link/${l.id}/payments`, { locale, amount: typed });
    expect(res.statusCode, visible(res.body)).toBe(303);
    expect((await app.core.payments.list({ linkId: l.id }, { limit: 5 })).data[0]!.amount).toBe(stored);
  });

  it('re-renders the dialog with a localized error (role=alert) and keeps what was typed', async () => {
    const l = await makeLink({ amount: null, reuse: 'multiple', minAmount: '5.00', perPaymentAmountLimit: '50.00' });
    const cases: [Record<string, string>, number, string][] = [
      [{ locale: 'de', amount: '' }, 422, 'Bitte geben Sie den Betrag ein, den Sie zahlen möchten.'],
      [{ locale: 'de', amount: 'zehn' }, 422, 'Bitte geben Sie einen gültigen Betrag ein, zum Beispiel 12,50.'],
      [{ locale: 'de', amount: '1,005' }, 422, 'Beträge in EUR haben höchstens 2 Nachkommastellen'],
      [{ locale: 'en', amount: '1.250' }, 422, 'EUR amounts have at most 2 decimals'],
      [{ locale: 'en', amount: '0' }, 422, 'Please enter a valid amount, for example 12.50.'],
      [{ locale: 'en', amount: '12345678901' }, 422, 'This amount is too large.'],
      [{ locale: 'de', amount: '4,99' }, 409, `Der Betrag muss mindestens 5,00${NBSP}€ sein.`],
      [{ locale: 'fr', amount: '50,01' }, 409, `Le montant ne peut pas dépasser 50,00${NBSP}€ par paiement.`],
      [{ locale: 'nl', amount: '10', 'payer[email]': 'nope' }, 422, 'Vul een geldig e-mailadres in.'],
      [{ locale: 'en', amount: '10', reference: 'r'.repeat(141) }, 422, 'This entry is too long.'],
    ];
    for (const [fields, status, message] of cases) {
      const res = await postForm(`/pay-by-link/${l.id}/payments`, fields);
      expectHtmlPage(res, status, fields.locale);
      expect(res.body).toMatch(/<div class="alert" role="alert" id="form-error"/);
      expect(visible(res.body), JSON.stringify(fields)).toContain(message);
      if (fields.amount) expect(res.body).toContain(`value="${fields.amount}"`);
    }
    expect((await app.core.payments.list({ linkId: l.id }, { limit: 5 })).data).toEqual([]);
    // The amount field is marked and focused when it is the culprit.
    const res = await postForm(`/pay-by-link/${l.id}/payments`, { locale: 'en', amount: '1' });
    expect(res.body).toMatch(/<input[^>]*aria-invalid="true"[^>]*aria-describedby="amount-hint form-error"[^>]*autofocus=""/);
  });

  it('limits held by pending payments are explained on the page', async () => {
    const uses = await makeLink({ reuse: 'multiple', maxUses: 1 });
    await startPayment(uses.id);
    const a = await postForm(`/pay-by-link/${uses.id}/payments`, { locale: 'en' });
    expectHtmlPage(a, 409);
    expect(visible(a.body)).toContain('All uses of this link are taken at the moment');
    const total = await makeLink({ reuse: 'multiple', amount: null, totalAmountLimit: '20.00' });
    await startPayment(total.id, { amount: '15' });
    const b = await postForm(`/pay-by-link/${total.id}/payments`, { locale: 'de', amount: '10' });
    expectHtmlPage(b, 409, 'de');
    expect(visible(b.body)).toContain(`(5,00${NBSP}€)`);
  });

  it('a link that cannot be paid gets its status page: 423, 403, 410, 404', async () => {
    const locked = await makeLink();
    await startPayment(locked.id);
    const lockedRes = await postForm(`/pay-by-link/${locked.id}/payments`, { locale: 'en' });
    expectHtmlPage(lockedRes, 423);
    expect(visible(lockedRes.body)).toContain('Payment in progress');
    const disabled = await makeLink();
    await app.core.links.update(disabled.id, { enabled: false });
    expectHtmlPage(await postForm(`/pay-by-link/${disabled.id}/payments`, { locale: 'de' }), 403, 'de');
    const cancelled = await makeLink();
    await app.core.links.cancel(cancelled.id);
    expectHtmlPage(await postForm(`/pay-by-link/${cancelled.id}/payments`, {}), 410, 'en');
    expectHtmlPage(await postForm('/pay-by-link/pl_nope/payments', { locale: 'nl' }), 404, 'nl');
  });

  it('form posts get pages, never problem+json: a malformed id is 404, an oversized body 413', async () => {
    const longId = await postForm(`/pay-by-link/${'x'.repeat(150)}/payments`, { locale: 'fr' });
    expectHtmlPage(longId, 404, 'fr');
    expect(visible(longId.body)).toContain('Lien introuvable');
    const l = await makeLink();
    const huge = await postForm(`/pay-by-link/${l.id}/payments`, { locale: 'en', reference: 'x'.repeat(70_000) });
    expectHtmlPage(huge, 413, 'en');
    expect(visible(huge.body)).toContain('Something went wrong');
    expect((await app.core.links.get(l.id)).status).toBe('enabled');
  });
});

describe('normaliseAmountInput (the form’s amount field only)', () => {
  it.each([
    ['7,50', '7.50'],
    ['7.50', '7.50'],
    ['7', '7'],
    ['1.234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['1.234.567', '1234567'],
    ['1 234 567,8', '1234567.8'],
    ["1'234.50", '1234.50'],
    ['1.250', '1.250'], // not guessed: refused later for EUR (3 decimals)
    ['12,34,56', '12,34,56'],
    ['1.23,45', '1.23,45'],
    ['7,', '7,'],
    ['-5', '-5'],
    ['abc', 'abc'],
  ])('%j -> %j', (input, output) => {
    expect(normaliseAmountInput(input)).toBe(output);
  });
});

// ---- status endpoint, cancel -----------------------------------------------------------------

describe('GET /pay-by-link/{linkId}/payments/{paymentId}', () => {
  it('gives the narrow public view, only through the payment’s own link', async () => {
    const l = await makeLink({ metadata: { secret: 'x' } });
    const p = await startPayment(l.id);
    const res = await get(`/pay-by-link/${l.id}/payments/${p.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ id: p.id, status: 'pending', amount: '12.50', currency: 'EUR', refId: p.refId });
    const other = await makeLink();
    expectProblem(await get(`/pay-by-link/${other.id}/payments/${p.id}`), 404, 'not-found');
    expectProblem(await get(`/pay-by-link/${l.id}/payments/pay_nope`), 404, 'not-found');
  });
});

describe('POST /pay-by-link/{linkId}/payments/{paymentId}/cancel', () => {
  it('200 {payment} cancelled and the link unlocked; 409 once it is no longer pending', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    const res = await postJson(`/pay-by-link/${l.id}/payments/${p.id}/cancel`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payment).toMatchObject({ id: p.id, status: 'cancelled' });
    expect((await app.core.links.get(l.id)).status).toBe('enabled');
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments/${p.id}/cancel`, {}), 409, 'payment-not-pending');
    // A late simulator decision is refused too.
    expectProblem(await postJson(`/sim/checkout/${p.id}`, { outcome: 'succeeded' }), 409, 'payment-not-pending');
  });

  it('409 not-cancellable where the link does not allow it; 404 through another link', async () => {
    const l = await makeLink({ cancellable: false });
    const p = await startPayment(l.id);
    expectProblem(await postJson(`/pay-by-link/${l.id}/payments/${p.id}/cancel`, {}), 409, 'not-cancellable');
    const other = await makeLink();
    expectProblem(await postJson(`/pay-by-link/${other.id}/payments/${p.id}/cancel`, {}), 404, 'not-found');
    expect((await app.core.payments.get(p.id)).status).toBe('pending');
  });

  it('form post: 303 to the result page; a refusal shows the result page with the reason (409)', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    const res = await postForm(`/pay-by-link/${l.id}/payments/${p.id}/cancel`, { locale: 'de' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/de/pay-by-link/${l.id}/result/${p.id}`);
    const again = await postForm(`/pay-by-link/${l.id}/payments/${p.id}/cancel`, { locale: 'de' });
    expectHtmlPage(again, 409, 'de');
    expect(visible(again.body)).toContain('Die Zahlung kann nicht abgebrochen werden');
    expect(visible(again.body)).toContain('Zahlung abgebrochen');

    const strict = await makeLink({ cancellable: false });
    const q = await startPayment(strict.id);
    const refused = await postForm(`/pay-by-link/${strict.id}/payments/${q.id}/cancel`, { locale: 'en' });
    expectHtmlPage(refused, 409, 'en');
    expect(visible(refused.body)).toContain('Payments with this link cannot be cancelled.');
  });
});

// ---- the simulator ----------------------------------------------------------------------------

describe('simulator', () => {
  it('GET /sim/checkout/{paymentId}: an obvious TEST page with amount, refId and the three outcomes', async () => {
    const l = await makeLink({ locale: 'de' });
    const p = await startPayment(l.id);
    const res = await get(`/sim/checkout/${p.id}`);
    expectHtmlPage(res, 200, 'de');
    const text = visible(res.body);
    expect(res.body).toContain('<div class="test-banner" role="note"><span>TESTMODUS — es fließt kein echtes Geld</span></div>');
    expect(text).toContain(`12,50${NBSP}€`);
    expect(text).toContain(p.refId);
    for (const outcome of ['succeeded', 'failed', 'abandoned']) expect(res.body).toContain(`value="${outcome}" name="outcome"`);
    expect(text).toContain('Zahlung bestätigen');
    expect(text).toContain('Zahlung ablehnen');
    expect(text).toContain('Ohne Zahlung verlassen');
    expect(res.body).toContain(`action="/pay-by-link/${l.id}/payments/${p.id}/cancel"`);
    expect(visible((await get(`/sim/checkout/${p.id}?locale=en`)).body)).toContain('TEST MODE — no real money moves');

    const strict = await makeLink({ cancellable: false });
    const q = await startPayment(strict.id);
    expect((await get(`/sim/checkout/${q.id}`)).body).not.toContain('/cancel"');
    expectHtmlPage(await get('/sim/checkout/pay_nope'), 404);
  });

  it('JSON outcome -> 200 {payment}; 409 when no longer pending; 422 for an unknown outcome', async () => {
    const l = await makeLink({ reuse: 'multiple' });
    for (const outcome of ['succeeded', 'failed', 'abandoned'] as const) {
      const p = await startPayment(l.id);
      const res = await postJson(`/sim/checkout/${p.id}`, { outcome });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().payment).toMatchObject({ id: p.id, status: outcome });
      expectProblem(await postJson(`/sim/checkout/${p.id}`, { outcome: 'succeeded' }), 409, 'payment-not-pending');
    }
    const p = await startPayment(l.id);
    expectProblem(await postJson(`/sim/checkout/${p.id}`, { outcome: 'cancelled' }), 422, 'validation-error');
    expectProblem(await postJson(`/sim/checkout/${p.id}`), 422, 'validation-error');
    expectProblem(await postJson('/sim/checkout/pay_nope', { outcome: 'failed' }), 404, 'not-found');
  });

  it('form outcome -> 303 to the result page; a late one re-renders the page with 409', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    const res = await postForm(`/sim/checkout/${p.id}`, { outcome: 'succeeded', locale: 'nl' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/nl/pay-by-link/${l.id}/result/${p.id}`);
    expect((await app.core.payments.get(p.id)).status).toBe('succeeded');
    const late = await postForm(`/sim/checkout/${p.id}`, { outcome: 'failed', locale: 'nl' });
    expectHtmlPage(late, 409, 'nl');
    expect(late.body).toContain('role="alert"');
    expect(visible(late.body)).toContain('De status is: geslaagd.');
    expect(late.body).not.toContain('name="outcome"');
  });

  it('409 on a completion after the lock TTL made the payment abandoned', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    clock.advance(LOCK_TTL_MS + 1000);
    expectProblem(await postJson(`/sim/checkout/${p.id}`, { outcome: 'succeeded' }), 409, 'payment-not-pending');
    expect((await app.core.payments.get(p.id)).status).toBe('abandoned');
    expect((await app.core.links.get(l.id)).status).toBe('enabled');
    // And after a cancelled link.
    const m = await makeLink();
    const q = await startPayment(m.id);
    await app.core.links.cancel(m.id);
    expectProblem(await postJson(`/sim/checkout/${q.id}`, { outcome: 'succeeded' }), 409, 'payment-not-pending');
  });
});

// ---- the result page -------------------------------------------------------------------------

describe('GET /{locale}/pay-by-link/{linkId}/result/{paymentId}', () => {
  const result = (linkId: string, paymentId: string, locale = 'en') => `/${locale}/pay-by-link/${linkId}/result/${paymentId}`;

  it('succeeded: check, amount, refId', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    await app.core.payments.complete(p.id, 'succeeded');
    const res = await get(result(l.id, p.id, 'fr'));
    expectHtmlPage(res, 200, 'fr');
    const text = visible(res.body);
    expect(res.body).toContain('status-icon--success');
    expect(text).toContain('Paiement réussi');
    expect(text).toContain(`12,50${NBSP}€`);
    expect(text).toContain(p.refId);
    expect(text).not.toContain('Réessayer');
  });

  it('failed: declined, with "try again" back to the dialog (with its data) while the link can be paid', async () => {
    const l = await makeLink({ metadata: { till: '2' } });
    const p = await startPayment(l.id, { data: { customer_id: '42' } });
    await app.core.payments.complete(p.id, 'failed');
    const res = await get(result(l.id, p.id));
    expectHtmlPage(res, 200);
    expect(visible(res.body)).toContain('Payment declined');
    expect(res.body).toContain(`<a class="btn btn--primary btn--block" href="/en/pay-by-link/${l.id}?data%5Bcustomer_id%5D=42">Try again</a>`);
    await app.core.links.cancel(l.id);
    expect(visible((await get(result(l.id, p.id))).body)).not.toContain('Try again');
  });

  it('cancelled and abandoned payments', async () => {
    const l = await makeLink({ reuse: 'multiple' });
    const c = await startPayment(l.id);
    await app.core.payments.cancelByPayer(l.id, c.id);
    expect(visible((await get(result(l.id, c.id, 'de'))).body)).toContain('Zahlung abgebrochen');
    const a = await startPayment(l.id);
    await app.core.payments.complete(a.id, 'abandoned');
    const res = await get(result(l.id, a.id, 'nl'));
    expect(visible(res.body)).toContain('Betaling niet afgerond');
    expect(visible(res.body)).toContain('Opnieuw proberen');
  });

  it('pending: a waiting page that polls the status endpoint (and reloads without JS)', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    const res = await get(result(l.id, p.id));
    expectHtmlPage(res, 200);
    expect(visible(res.body)).toContain('Waiting for your payment');
    expect(res.body).toContain(`<body class="page" data-poll="/pay-by-link/${l.id}/payments/${p.id}" data-status="pending">`);
    expect(res.body).toContain('<noscript><meta http-equiv="refresh" content="5"/></noscript>');
    expect(res.body).toContain(`href="/sim/checkout/${p.id}"`);
  });

  it('404 for a payment of another link or an unknown one', async () => {
    const l = await makeLink();
    const p = await startPayment(l.id);
    const other = await makeLink();
    expectHtmlPage(await get(result(other.id, p.id, 'de')), 404, 'de');
    expectHtmlPage(await get(result(l.id, 'pay_nope')), 404);
    expectHtmlPage(await get(result('pl_nope', p.id)), 404);
  });

  describe('with a callbackUrl', () => {
    const callbackUrl = 'https://shop.example/return?order=77&status=keep-me-not';

    it('the CSP lets forms end at the callback origin', async () => {
      const l = await makeLink({ callbackUrl });
      const res = await get(dialog(l));
      expect(res.headers['content-security-policy']).toContain("form-action 'self' https://shop.example;");
      const p = await startPayment(l.id);
      expect((await get(`/sim/checkout/${p.id}`)).headers['content-security-policy']).toContain("form-action 'self' https://shop.example;");
    });

    it.each([
      ['succeeded', 'succeeded'],
      ['failed', 'failed'],
      ['abandoned', 'cancelled'],
      ['cancelled', 'cancelled'],
    ] as const)('%s -> 303 to the callback with status=%s and the paymentId', async (outcome, status) => {
      const l = await makeLink({ callbackUrl });
      const p = await startPayment(l.id);
      if (outcome === 'cancelled') await app.core.payments.cancelByPayer(l.id, p.id);
      else await app.core.payments.complete(p.id, outcome);
      const res = await get(result(l.id, p.id));
      expect(res.statusCode).toBe(303);
      const target = new URL(res.headers.location as string);
      expect(target.origin + target.pathname).toBe('https://shop.example/return');
      expect(Object.fromEntries(target.searchParams)).toEqual({ order: '77', status, paymentId: p.id });
    });

    it('nothing on the result URL changes the target', async () => {
      const l = await makeLink({ callbackUrl: 'https://shop.example/return' });
      const p = await startPayment(l.id);
      await app.core.payments.complete(p.id, 'failed');
      const evil = `?callbackUrl=${encodeURIComponent('https://evil.example/')}&status=succeeded&paymentId=pay_other&redirect=https://evil.example`;
      const res = await get(`${result(l.id, p.id)}${evil}`, { referer: 'https://evil.example/', host: 'evil.example' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`https://shop.example/return?status=failed&paymentId=${p.id}`);
    });

    it('two callbacks (success/failure, then cancel): each outcome goes to its own, both in the CSP', async () => {
      const l = await makeLink({ reuse: 'multiple', callbackUrl: 'https://shop.example/ok,https://other.example/cancel?x=1' });
      expect((await get(dialog(l))).headers['content-security-policy']).toContain("form-action 'self' https://shop.example https://other.example;");
      const paid = await startPayment(l.id);
      await app.core.payments.complete(paid.id, 'succeeded');
      expect((await get(result(l.id, paid.id))).headers.location).toBe(`https://shop.example/ok?status=succeeded&paymentId=${paid.id}`);
      const gone = await startPayment(l.id);
      await app.core.payments.complete(gone.id, 'abandoned');
      expect((await get(result(l.id, gone.id))).headers.location).toBe(`https://other.example/cancel?x=1&status=cancelled&paymentId=${gone.id}`);
    });

    it('a callback whose origin left settings.callbackUrls is not followed: the result page shows instead', async () => {
      const l = await makeLink({ callbackUrl: 'https://shop.example/ok' });
      const p = await startPayment(l.id);
      await app.core.payments.complete(p.id, 'succeeded');
      await app.core.settings.update({ callbackUrls: ['https://elsewhere.example/'] });
      try {
        const res = await get(result(l.id, p.id));
        expectHtmlPage(res, 200);
        expect(visible(res.body)).toContain('Payment successful');
      } finally {
        await app.core.settings.update({ callbackUrls: [] });
      }
    });

    it('pending -> the waiting page, no redirect; the form flow lands on the callback', async () => {
      const l = await makeLink({ callbackUrl });
      const p = await startPayment(l.id);
      const waiting = await get(result(l.id, p.id));
      expectHtmlPage(waiting, 200);
      expect(waiting.headers['content-security-policy']).toContain("form-action 'self' https://shop.example;");
      const sim = await postForm(`/sim/checkout/${p.id}`, { outcome: 'succeeded', locale: 'en' });
      expect(sim.statusCode).toBe(303);
      const back = await get(sim.headers.location as string);
      expect(back.statusCode).toBe(303);
      expect(back.headers.location).toBe(`https://shop.example/return?order=77&status=succeeded&paymentId=${p.id}`);
    });
  });
});

// ---- assets, OpenAPI, translations ------------------------------------------------------------

describe('assets and contract', () => {
  it('serves the stylesheet and script from the files, long-cached when versioned', async () => {
    const page = (await get(dialog(await makeLink()))).body;
    const cssUrl = /href="(\/assets\/dialog\.css\?v=[0-9a-f]+)"/.exec(page)![1]!;
    const jsUrl = /src="(\/assets\/dialog\.js\?v=[0-9a-f]+)"/.exec(page)![1]!;
    const css = await get(cssUrl);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain('.test-banner');
    expect(css.body).not.toMatch(/@import|url\(\s*['"]?(?:https?:)?\/\//);
    const js = await get(jsUrl);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('data-poll');
    expect((await get('/assets/dialog.css')).headers['cache-control']).toBe('public, max-age=300');
  });

  it('documents the JSON endpoints in OpenAPI as public', async () => {
    const doc = (await get('/api/openapi.json')).json();
    for (const path of ['/pay-by-link/{linkId}/payments', '/pay-by-link/{linkId}/payments/{paymentId}/cancel', '/sim/checkout/{paymentId}']) {
      expect(doc.paths[path]?.post?.security, path).toEqual([]);
    }
    expect(doc.paths['/pay-by-link/{linkId}/payments/{paymentId}'].get.security).toEqual([]);
    expect(doc.paths['/{locale}/pay-by-link/{linkId}']).toBeUndefined();
  });

  it('every locale has every text, translated', () => {
    const flat = (o: object, prefix = ''): Record<string, string> =>
      Object.fromEntries(
        Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flat(v, `${prefix}${k}.`)))),
      );
    const en = flat(MESSAGES.en);
    for (const locale of ['de', 'fr', 'nl'] as const) {
      const other = flat(MESSAGES[locale]);
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(other)) {
        expect(value.trim(), `${locale}.${key}`).not.toBe('');
        // Same placeholders as English.
        expect([...value.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort(), `${locale}.${key}`).toEqual(
          [...en[key]!.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort(),
        );
      }
      const same = Object.keys(en).filter((k) => en[k] === other[k] && !/\{\{\w+\}\}.*\{\{\w+\}\}/.test(en[k]!));
      // Only words that are the same in both languages (TEST, Total, Name, Date, Minimum…).
      expect(same.length, `${locale}: ${same.join(', ')}`).toBeLessThanOrEqual(6);
    }
  });
});
