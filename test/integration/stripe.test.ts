/**
 * Stripe Checkout over HTTP (API.md "Stripe"), against a local fake of the Stripe API that the
 * official SDK talks to (test/support/fake-stripe.ts): what the SDK sent, signed webhooks (paid,
 * async success and failure, expired, replayed, forged, stale), the result page asking Stripe,
 * cancel, refunds through an outage, availability, and key checks.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, expectProblem, expectValidation, makeApp, START, type TestApp } from './helpers';
import { FakeStripe } from '../support/fake-stripe';
import { RECONCILE_EVERY_MS } from '../../core/payments/service';

const TEST_KEYS = { secretKey: 'sk_test_51FakeKeyForCounterlink', webhookSecret: 'whsec_testSigningSecret123' };
const LIVE_KEYS = { secretKey: 'sk_live_51FakeKeyForCounterlink', webhookSecret: 'whsec_liveSigningSecret456' };

let fake: FakeStripe;
let t: TestApp;

beforeAll(async () => {
  fake = await FakeStripe.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.setMode('up');
  fake.requests.length = 0;
  fake.sessions.clear();
  t = await makeApp({ stripeApiUrl: fake.url, retrySchedule: [60, 60, 60] });
});
afterEach(async () => {
  await t.close();
});

const nowSeconds = () => Math.floor(t.app.core.clock.now() / 1000);

async function setUpStripe(keys: Record<string, unknown> = { test: TEST_KEYS }) {
  const res = await t.req('PATCH', '/api/v1/settings', { stripe: keys });
  expect(res.status, res.text).toBe(200);
  await t.app.core.stripe.gateway.checkNow();
  return res.body.stripe;
}

/** A link paid by card: the payer starts it on the dialog (JSON), as the dialog's script does. */
async function startStripe(body: Record<string, unknown> = {}, linkBody: Record<string, unknown> = {}) {
  const link = (await t.req('POST', '/api/v1/links', { name: 'Dinner for two', amount: '42.50', methods: ['stripe'], ...linkBody })).body;
  const res = await t.req('POST', `/pay-by-link/${link.id}/payments`, { method: 'stripe', ...body }, { auth: false });
  expect(res.status, res.text).toBe(201);
  return { link, payment: res.body.payment, next: res.body.next };
}

function webhook(type: string, sessionId: string, options: { secret?: string; id?: string; timestamp?: number; livemode?: boolean } = {}) {
  const e = fake.event(type, sessionId, options.secret ?? TEST_KEYS.webhookSecret, { timestamp: options.timestamp ?? nowSeconds(), ...(options.id ? { id: options.id } : {}), ...(options.livemode !== undefined ? { livemode: options.livemode } : {}) });
  return {
    id: e.id,
    send: () => t.req('POST', '/hooks/stripe', undefined, { auth: false, raw: e.payload, headers: { 'content-type': 'application/json', 'stripe-signature': e.signature } }),
  };
}

const paymentOf = async (id: string) => (await t.req('GET', `/api/v1/payments/${id}`)).body;

describe('starting a Stripe payment', () => {
  it('creates a Checkout Session with the amount, currency, idempotency key, metadata, return URLs and expiry, and sends the payer there', async () => {
    await setUpStripe();
    const { link, payment, next } = await startStripe({ payer: { email: 'ana@example.com' } });
    const [sent, ...more] = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(more).toHaveLength(0);
    expect(sent!.headers['idempotency-key']).toBe(payment.id);
    expect(sent!.headers.authorization).toBe(`Bearer ${TEST_KEYS.secretKey}`);
    const result = `${BASE_URL}/${link.locale}/pay-by-link/${link.id}/result/${payment.id}`;
    expect(sent!.body).toMatchObject({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'eur', unit_amount: '4250', product_data: { name: 'Dinner for two' } } }],
      client_reference_id: payment.id,
      metadata: { paymentId: payment.id, linkId: link.id, refId: payment.refId },
      success_url: result,
      cancel_url: result,
      customer_email: 'ana@example.com',
    });
    // The session lives as long as the payment holds its link: at least Stripe's 30 minutes (+1 for the trip).
    expect(Number(sent!.body.expires_at)).toBe(Date.parse(START) / 1000 + 31 * 60);
    const session = [...fake.sessions.values()][0]!;
    expect(next).toEqual({ type: 'redirect', url: session.url });
    expect(payment).toMatchObject({ method: 'stripe', status: 'pending', livemode: false, providerReference: session.id, refunds: [] });
  });

  it('holds the link while the session lives, and a little longer, so Stripe settles first; then the payment lapses', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    t.clock!.advance(31 * 60_000 + 1000); // past the default 15-minute lock and past the session's expiry
    expect((await paymentOf(payment.id)).status).toBe('pending');
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('locked');
    t.clock!.advance(5 * 60_000);
    expect((await paymentOf(payment.id)).status).toBe('abandoned');
  });

  it('an Idempotency-Key replay answers the same payment and makes no second session', async () => {
    await setUpStripe();
    const link = (await t.req('POST', '/api/v1/links', { name: 'Once', amount: '5.00', methods: ['stripe'] })).body;
    const send = () => t.req('POST', `/pay-by-link/${link.id}/payments`, { method: 'stripe' }, { auth: false, headers: { 'idempotency-key': 'tap-1' } });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.payment.id).toBe(first.body.payment.id);
    expect(again.body.next).toEqual(first.body.next);
    expect(fake.requestsTo('POST', '/v1/checkout/sessions')).toHaveLength(1);
  });

  it('sends a link’s line items as Stripe line items, in a zero-decimal currency as whole units', async () => {
    await setUpStripe();
    await startStripe({}, { amount: undefined, currency: 'JPY', lineItems: [{ name: 'Ramen', quantity: 2, unitAmount: '900' }, { name: 'Tea', quantity: 1, unitAmount: '300' }] });
    const [sent] = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(sent!.body.line_items).toEqual([
      { quantity: '2', price_data: { currency: 'jpy', unit_amount: '900', product_data: { name: 'Ramen' } } },
      { quantity: '1', price_data: { currency: 'jpy', unit_amount: '300', product_data: { name: 'Tea' } } },
    ]);
  });

  it('Stripe failing mid-request: 503 provider-unavailable, the payment failed and the link free again', async () => {
    await setUpStripe();
    fake.setMode('error');
    const link = (await t.req('POST', '/api/v1/links', { name: 'Once', amount: '5.00', methods: ['stripe'] })).body;
    const res = await t.req('POST', `/pay-by-link/${link.id}/payments`, { method: 'stripe' }, { auth: false });
    expectProblem(res, 503, 'provider-unavailable');
    const [payment] = (await t.req('GET', `/api/v1/payments?linkId=${link.id}`)).body.data;
    expect(payment).toMatchObject({ status: 'failed', providerReference: null });
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('enabled');
    // Nothing else is affected: other methods and routes still work.
    expect((await t.req('POST', `/pay-by-link/${link.id}/payments`, { method: 'stripe' }, { auth: false })).status).toBe(503);
    fake.setMode('up');
    expect((await t.req('POST', `/pay-by-link/${link.id}/payments`, { method: 'stripe' }, { auth: false })).status).toBe(201);
  });
});

describe('live mode', () => {
  it('a live link with live keys: the session is made with the live key, and only a live event signed with the live secret pays it', async () => {
    await setUpStripe({ test: TEST_KEYS, live: LIVE_KEYS });
    const key = (await t.req('POST', '/api/v1/api-keys', { name: 'live', mode: 'live' })).body.key;
    const live = { headers: { authorization: `Bearer ${key}` } };
    const link = (await t.req('POST', '/api/v1/links', { name: 'Live dinner', amount: '80.00' }, live)).body;
    expect(link.livemode).toBe(true);
    // No method named: on a live link the only available one.
    const started = await t.req('POST', `/pay-by-link/${link.id}/payments`, {}, { auth: false });
    expect(started.status, started.text).toBe(201);
    expect(started.body.payment).toMatchObject({ method: 'stripe', livemode: true });
    const [sent] = fake.requestsTo('POST', '/v1/checkout/sessions');
    expect(sent!.headers.authorization).toBe(`Bearer ${LIVE_KEYS.secretKey}`);
    const sessionId = started.body.payment.providerReference as string;
    expect(sessionId).toMatch(/^cs_live_/);
    fake.markPaid(sessionId);
    // Signed with the test secret: refused, whatever it claims.
    expectProblem(await webhook('checkout.session.completed', sessionId, { secret: TEST_KEYS.webhookSecret, livemode: true }).send(), 400, 'webhook-signature-invalid');
    expect((await webhook('checkout.session.completed', sessionId, { secret: LIVE_KEYS.webhookSecret }).send()).body).toEqual({ received: true, applied: true });
    expect((await t.req('GET', `/api/v1/payments/${started.body.payment.id}`, undefined, live)).body.status).toBe('succeeded');
  });
});

describe('POST /hooks/stripe', () => {
  it('checkout.session.completed (paid) -> succeeded, once; a replay changes nothing', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    fake.markPaid(payment.providerReference);
    const hook = webhook('checkout.session.completed', payment.providerReference);
    const res = await hook.send();
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ received: true, applied: true });
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'succeeded' });
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('consumed');
    const events = (await t.req('GET', '/api/v1/events?limit=200')).body.data.filter((e: { type: string }) => e.type === 'payment.succeeded');
    expect(events).toHaveLength(1);

    const again = await hook.send();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: false, reason: 'duplicate' });
    expect((await t.req('GET', '/api/v1/events?limit=200')).body.data.filter((e: { type: string }) => e.type === 'payment.succeeded')).toHaveLength(1);
  });

  it('a delayed method: completed-unpaid keeps it pending, async_payment_succeeded -> succeeded', async () => {
    await setUpStripe();
    const { payment } = await startStripe();
    fake.markAsyncPending(payment.providerReference);
    expect((await webhook('checkout.session.completed', payment.providerReference).send()).body).toMatchObject({ applied: false });
    expect((await paymentOf(payment.id)).status).toBe('pending');
    fake.markAsyncSucceeded(payment.providerReference);
    expect((await webhook('checkout.session.async_payment_succeeded', payment.providerReference).send()).body).toEqual({ received: true, applied: true });
    expect((await paymentOf(payment.id)).status).toBe('succeeded');
  });

  it('async_payment_failed -> failed; expired -> abandoned (the link free again)', async () => {
    await setUpStripe();
    const first = await startStripe({}, { reuse: 'multiple' });
    fake.markAsyncFailed(first.payment.providerReference);
    expect((await webhook('checkout.session.async_payment_failed', first.payment.providerReference).send()).status).toBe(200);
    expect((await paymentOf(first.payment.id)).status).toBe('failed');

    const second = await startStripe();
    fake.markExpired(second.payment.providerReference);
    expect((await webhook('checkout.session.expired', second.payment.providerReference).send()).status).toBe(200);
    expect((await paymentOf(second.payment.id)).status).toBe('abandoned');
    expect((await t.req('GET', `/api/v1/links/${second.link.id}`)).body.status).toBe('enabled');
  });

  it('forged (another secret, a changed body, no header), stale or wrong-mode events: 400 and nothing changes', async () => {
    await setUpStripe({ test: TEST_KEYS, live: LIVE_KEYS });
    const { payment } = await startStripe();
    fake.markPaid(payment.providerReference);
    const forged = fake.event('checkout.session.completed', payment.providerReference, 'whsec_notTheRightSecret', { timestamp: nowSeconds() });
    const send = (payload: string, signature?: string) =>
      t.req('POST', '/hooks/stripe', undefined, { auth: false, raw: payload, headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) } });
    expectProblem(await send(forged.payload, forged.signature), 400, 'webhook-signature-invalid');
    const good = fake.event('checkout.session.completed', payment.providerReference, TEST_KEYS.webhookSecret, { timestamp: nowSeconds() });
    expectProblem(await send(good.payload.replace('"paid"', '"paid" '), good.signature), 400, 'webhook-signature-invalid');
    expectProblem(await send(good.payload), 400, 'webhook-signature-invalid');
    // Signed 6 minutes before our clock: stale.
    const stale = webhook('checkout.session.completed', payment.providerReference, { timestamp: nowSeconds() - 360 });
    expectProblem(await stale.send(), 400, 'webhook-signature-invalid');
    // A test event signed with the live secret.
    expectProblem(await webhook('checkout.session.completed', payment.providerReference, { secret: LIVE_KEYS.webhookSecret, livemode: false }).send(), 400, 'webhook-signature-invalid');
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'pending' });
    // Within 5 minutes is fine, and none of the refused event ids were stored.
    expect((await webhook('checkout.session.completed', payment.providerReference, { timestamp: nowSeconds() - 240, id: stale.id }).send()).body).toEqual({ received: true, applied: true });
  });

  it('paid at Stripe after the payment was cancelled here: nothing turns paid, but staff get an alert to refund it', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    expect((await t.req('POST', `/api/v1/links/${link.id}/cancel`)).status).toBe(200);
    expect((await paymentOf(payment.id)).status).not.toBe('succeeded');
    fake.markPaid(payment.providerReference);
    const res = await webhook('checkout.session.completed', payment.providerReference).send();
    expect(res.status).toBe(200);
    expect((await paymentOf(payment.id)).status).not.toBe('succeeded');
    const events = await t.req('GET', `/api/v1/events?linkId=${link.id}`);
    const late = events.body.data.filter((e: { type: string }) => e.type === 'payment.paid_after_end');
    expect(late).toHaveLength(1);
    expect(late[0].data).toMatchObject({ id: payment.id, providerReference: payment.providerReference });
  });

  it('other event types are acknowledged and ignored', async () => {
    await setUpStripe();
    const { payment } = await startStripe();
    const res = await webhook('payment_intent.created', payment.providerReference).send();
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(false);
    expect((await paymentOf(payment.id)).status).toBe('pending');
  });
});

describe('the result page asks Stripe', () => {
  it('a paid session with no webhook: the return page shows paid, and the payment is succeeded', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    fake.markPaid(payment.providerReference);
    const page = await t.req('GET', `/en/pay-by-link/${link.id}/result/${payment.id}`, undefined, { auth: false });
    expect(page.status).toBe(200);
    expect(fake.requestsTo('GET', `/v1/checkout/sessions/${payment.providerReference}`)).toHaveLength(1);
    expect((await paymentOf(payment.id)).status).toBe('succeeded');
    expect(page.text).toMatch(/Payment (successful|received|complete)|paid/i);
  });

  it('reloading the result page asks Stripe once per payment every few seconds, however many load it at once', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    const load = () => t.req('GET', `/en/pay-by-link/${link.id}/result/${payment.id}`, undefined, { auth: false });
    const pages = await Promise.all(Array.from({ length: 20 }, load));
    expect(pages.map((p) => p.status)).toEqual(Array(20).fill(200));
    const asks = () => fake.requestsTo('GET', `/v1/checkout/sessions/${payment.providerReference}`).length;
    expect(asks()).toBe(1);
    t.clock!.advance(RECONCILE_EVERY_MS);
    fake.markPaid(payment.providerReference);
    await load();
    expect(asks()).toBe(2);
    expect((await paymentOf(payment.id)).status).toBe('succeeded');
  });

  it('Stripe unreachable: the page still renders, pending', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    fake.setMode('refuse');
    const page = await t.req('GET', `/en/pay-by-link/${link.id}/result/${payment.id}`, undefined, { auth: false });
    expect(page.status).toBe(200);
    expect((await paymentOf(payment.id)).status).toBe('pending');
  });
});

describe('cancel and refunds', () => {
  it('cancelling a pending Stripe payment expires its session at Stripe', async () => {
    await setUpStripe();
    const { link, payment } = await startStripe();
    t.app.core.startWorkers();
    const res = await t.req('POST', `/pay-by-link/${link.id}/payments/${payment.id}/cancel`, {}, { auth: false });
    expect(res.status, res.text).toBe(200);
    expect(res.body.payment.status).toBe('cancelled');
    await t.app.core.stripe.events.expireWorker.idle();
    expect(fake.requestsTo('POST', `/v1/checkout/sessions/${payment.providerReference}/expire`)).toHaveLength(1);
    expect(fake.session(payment.providerReference).status).toBe('expired');
  });

  it('a refund through an outage: pending while Stripe is down, succeeded once it is back, with its own idempotency key', async () => {
    await setUpStripe();
    const { payment } = await startStripe();
    fake.markPaid(payment.providerReference);
    await webhook('checkout.session.completed', payment.providerReference).send();
    fake.setMode('refuse');
    t.app.core.startWorkers();

    const refunded = await t.req('POST', `/api/v1/payments/${payment.id}/refund`, { amount: '10.00' });
    expect(refunded.status, refunded.text).toBe(200);
    expect(refunded.body).toMatchObject({ status: 'partially_refunded', refundedAmount: '10.00', refunds: [{ amount: '10.00', status: 'pending' }] });
    await t.app.core.stripe.events.refundWorker.idle();
    expect((await paymentOf(payment.id)).refunds).toEqual([{ id: refunded.body.refunds[0].id, amount: '10.00', status: 'pending' }]);

    fake.setMode('up');
    t.clock!.advance(61_000);
    await t.app.core.stripe.events.refundWorker.idle();
    const after = await paymentOf(payment.id);
    expect(after.refunds).toEqual([{ id: refunded.body.refunds[0].id, amount: '10.00', status: 'succeeded' }]);
    const sent = fake.requestsTo('POST', '/v1/refunds');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ payment_intent: fake.session(payment.providerReference).payment_intent, amount: '1000' });
    expect(sent[0]!.headers['idempotency-key']).toBe(refunded.body.refunds[0].id);

    // The rest, a second refund with a key of its own.
    const rest = await t.req('POST', `/api/v1/payments/${payment.id}/refund`, {});
    expect(rest.body).toMatchObject({ status: 'refunded', refundedAmount: '42.50' });
    await t.app.core.stripe.events.refundWorker.idle();
    const last = fake.requestsTo('POST', '/v1/refunds').at(-1)!;
    expect(last.body.amount).toBe('3250');
    expect(last.headers['idempotency-key']).not.toBe(refunded.body.refunds[0].id);
    expect((await paymentOf(payment.id)).refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('a refund Stripe refuses for good is failed, and its amount refundable again', async () => {
    await setUpStripe();
    const { payment } = await startStripe();
    fake.markPaid(payment.providerReference);
    await webhook('checkout.session.completed', payment.providerReference).send();
    fake.session(payment.providerReference).payment_status = 'unpaid'; // Stripe will answer 400
    t.app.core.startWorkers();
    const res = await t.req('POST', `/api/v1/payments/${payment.id}/refund`, {});
    expect(res.body).toMatchObject({ status: 'refunded', refunds: [{ status: 'pending' }] });
    await t.app.core.stripe.events.refundWorker.idle();
    expect(await paymentOf(payment.id)).toMatchObject({ status: 'succeeded', refundedAmount: '0.00', refunds: [{ amount: '42.50', status: 'failed' }] });
    const types = (await t.req('GET', '/api/v1/events?limit=200')).body.data.map((e: { type: string }) => e.type);
    expect(types).toContain('payment.refund_failed');
    // A refund that never happened is not in the day's report (nor the export).
    const day = new Date(t.app.core.clock.now()).toISOString().slice(0, 10);
    const report = await t.req('GET', `/api/v1/reports/day?date=${day}`);
    expect(report.status, report.text).toBe(200);
    expect(report.body).toMatchObject({ refunds: '0.00', amount: '42.50' });
  });

  it('the simulator’s refunds stay as they were: complete at once, no refunds list', async () => {
    const link = (await t.req('POST', '/api/v1/links', { name: 'Sim', amount: '5.00' })).body;
    const { payment } = await t.app.core.payments.start(link.id, {});
    await t.app.core.payments.complete(payment.id, 'succeeded');
    const res = await t.req('POST', `/api/v1/payments/${payment.id}/refund`, {});
    expect(res.body).toMatchObject({ status: 'refunded', refundedAmount: '5.00' });
    expect(res.body.refunds).toBeUndefined();
  });
});

describe('availability and settings', () => {
  it('not configured, then available, then offline while Stripe does not answer: starting it is 409 method-unavailable', async () => {
    const methods = async () => (await t.req('GET', '/api/v1/payment-methods')).body.data.find((m: { id: string }) => m.id === 'stripe');
    expect(await methods()).toEqual({ id: 'stripe', livemode: false, available: false, reason: 'not-configured' });
    await setUpStripe();
    const read = (await t.req('GET', '/api/v1/settings')).body.stripe;
    expect(read.test).toEqual({ configured: true, secretKeySet: true, webhookSecretSet: true, account: { id: 'acct_1Fake', name: 'Fake Shop' }, status: 'connected', error: null });
    expect(JSON.stringify(read)).not.toContain(TEST_KEYS.secretKey);
    expect(await methods()).toMatchObject({ available: true, reason: null });

    fake.setMode('refuse');
    await t.app.core.stripe.gateway.checkNow();
    expect(await methods()).toMatchObject({ available: false, reason: 'offline' });
    const link = (await t.req('POST', '/api/v1/links', { name: 'Card only', amount: '5.00', methods: ['stripe'] })).body;
    expectProblem(await t.req('POST', `/pay-by-link/${link.id}/payments`, { method: 'stripe' }, { auth: false }), 409, 'method-unavailable');
    expect(fake.requestsTo('POST', '/v1/checkout/sessions')).toHaveLength(0);
    // The settings still read, with the reason in words.
    const settings = (await t.req('GET', '/api/v1/settings')).body.stripe.test;
    expect(settings).toMatchObject({ status: 'offline', account: { id: 'acct_1Fake' }, error: expect.stringContaining('StripeConnectionError') });

    fake.setMode('up');
    await t.app.core.stripe.gateway.checkNow();
    expect(await methods()).toMatchObject({ available: true });
  });

  it('a live key in the test slot (or the other way round) is 422 with a code; nothing is stored', async () => {
    const res = await t.req('PATCH', '/api/v1/settings', { stripe: { test: { secretKey: LIVE_KEYS.secretKey }, live: { secretKey: TEST_KEYS.secretKey, webhookSecret: 'nope' } } });
    expectValidation(res, 'stripe.test.secretKey');
    const codes = Object.fromEntries(res.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]));
    expect(codes).toEqual({ 'stripe.test.secretKey': 'stripe-key-mode', 'stripe.live.secretKey': 'stripe-key-mode', 'stripe.live.webhookSecret': 'stripe-webhook-secret-format' });
    expect((await t.req('GET', '/api/v1/settings')).body.stripe.test.secretKeySet).toBe(false);
    expectValidation(await t.req('PATCH', '/api/v1/settings', { stripe: { test: { secretKey: 'pk_test_publishableKey123' } } }), 'stripe.test.secretKey');
  });
});

describe('the dialog as a method chooser', () => {
  it('offers card/wallet beside the others; the form post (no JS) goes on to Stripe, whose origin the page’s CSP lets the form reach', async () => {
    await setUpStripe();
    const link = (await t.req('POST', '/api/v1/links', { name: 'Scarf', amount: '19.00' })).body;
    const page = await t.req('GET', `/de/pay-by-link/${link.id}`, undefined, { auth: false });
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="stripe"');
    expect(page.text).toContain('Karte oder Wallet');
    expect(page.text).toContain('Testzahlung (Simulator)');
    expect(page.headers['content-security-policy']).toMatch(/form-action 'self' https:\/\/checkout\.stripe\.com;/);

    const res = await t.req('POST', `/pay-by-link/${link.id}/payments`, undefined, {
      auth: false,
      raw: 'locale=de&method=stripe',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    const session = [...fake.sessions.values()][0]!;
    expect(res.headers.location).toBe(session.url);
    // The payer's language goes to the return URL.
    expect(session.success_url).toContain(`/de/pay-by-link/${link.id}/result/`);
    expect(link.locale).toBe('en');
  });

  it('Stripe offline: the dialog offers the others only, and a card-only link says kindly that nothing works now', async () => {
    await setUpStripe();
    fake.setMode('refuse');
    await t.app.core.stripe.gateway.checkNow();
    const link = (await t.req('POST', '/api/v1/links', { name: 'Scarf', amount: '19.00' })).body;
    const page = await t.req('GET', `/en/pay-by-link/${link.id}`, undefined, { auth: false });
    expect(page.text).not.toContain('value="stripe"');
    expect(page.text).toContain('value="simulator"');
    const cardOnly = (await t.req('POST', '/api/v1/links', { name: 'Card only', amount: '19.00', methods: ['stripe'] })).body;
    const none = await t.req('GET', `/en/pay-by-link/${cardOnly.id}`, undefined, { auth: false });
    expect(none.status).toBe(200);
    expect(none.text).toContain('No way to pay right now');
    expect(none.text).not.toContain('type="submit"');
    expect(none.headers['content-security-policy']).not.toContain('checkout.stripe.com');
  });
});
