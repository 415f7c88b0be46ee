import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, expectProblem, expectValidation, makeApp, type TestApp } from './helpers';

let t: TestApp;
let tipsPos: string;
let plainPos: string;
beforeAll(async () => {
  t = await makeApp({ dialogRateLimit: false });
  const made = await t.req('POST', '/api/v1/points-of-sale', { name: 'Café', tips: { enabled: true, presets: [15, 5, 10] } });
  expect(made.status, made.text).toBe(201);
  tipsPos = made.body.id;
  plainPos = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Shop' })).body.id;
});
afterAll(async () => {
  await t.close();
});

const start = (linkId: string, body: Record<string, unknown>) => t.req('POST', `/pay-by-link/${linkId}/payments`, body, { auth: false });
const complete = (paymentId: string) => t.req('POST', `/sim/checkout/${paymentId}`, { outcome: 'succeeded' }, { auth: false });

describe('tip settings of a point of sale', () => {
  it('are off by default, sorted presets when on, and refused when malformed', async () => {
    expect((await t.req('GET', `/api/v1/points-of-sale/${plainPos}`)).body.tips).toEqual({ enabled: false, presets: [] });
    expect((await t.req('GET', `/api/v1/points-of-sale/${tipsPos}`)).body.tips).toEqual({ enabled: true, presets: [5, 10, 15] });
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: { enabled: true, presets: [5, 10, 15, 20] } }), 'tips');
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: { enabled: true, presets: [0] } }), 'tips.presets[0]');
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: { enabled: true, presets: [101] } }), 'tips.presets[0]');
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: { enabled: true, presets: [12.345] } }), 'tips.presets[0]');
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: { enabled: true, presets: [10, 10] } }), 'tips.presets');
    expect((await t.req('GET', `/api/v1/points-of-sale/${plainPos}`)).body.tips).toEqual({ enabled: false, presets: [] });
    const on = await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: { enabled: true, presets: [12.5] } });
    expect(on.body.tips).toEqual({ enabled: true, presets: [12.5] });
    const off = await t.req('PATCH', `/api/v1/points-of-sale/${plainPos}`, { tips: null });
    expect(off.body.tips).toEqual({ enabled: false, presets: [] });
  });
});

describe('a tip on a payment', () => {
  it('is part of the amount, shown as tipAmount in the payment, its events and the list; the link counts the amount without it', async () => {
    const link = await createLink(t, { pointOfSaleId: tipsPos, amount: '10.00', reuse: 'multiple', totalAmountLimit: '20.00' });
    const started = await start(link.id, { tip: '2.50' });
    expect(started.status, started.text).toBe(201);
    expect(started.body.payment).toMatchObject({ amount: '12.50', tipAmount: '2.50' });
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.usage.remainingAmount).toBe('10.00');
    await complete(started.body.payment.id);
    const paid = (await t.req('GET', `/api/v1/payments/${started.body.payment.id}`)).body;
    expect(paid).toMatchObject({ status: 'succeeded', amount: '12.50', tipAmount: '2.50' });
    const usage = (await t.req('GET', `/api/v1/links/${link.id}`)).body.usage;
    expect(usage).toMatchObject({ count: 1, amount: '10.00', remainingAmount: '10.00' });
    // A second 10.00 with a tip still fits the 20.00 total limit: the tips do not count.
    const second = await start(link.id, { tip: 3 });
    expect(second.status, second.text).toBe(201);
    await complete(second.body.payment.id);
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body).toMatchObject({ status: 'amount_limit_reached', usage: { amount: '20.00' } });
    // The event (and so the webhook payload and the feed) carries the tip.
    const events = (await t.req('GET', '/api/v1/events?limit=200')).body.data as { type: string; data: { id?: string; tipAmount?: string } }[];
    const succeeded = events.find((e) => e.type === 'payment.succeeded' && e.data.id === started.body.payment.id);
    expect(succeeded?.data.tipAmount).toBe('2.50');
    const listed = (await t.req('GET', `/api/v1/payments?linkId=${link.id}`)).body.data;
    expect(listed.map((p: { tipAmount: string }) => p.tipAmount)).toEqual(['3.00', '2.50']);
  });

  it('per-payment limits apply to the amount without the tip', async () => {
    const link = await createLink(t, { pointOfSaleId: tipsPos, amount: undefined, reuse: 'multiple', perPaymentAmountLimit: '10.00' });
    const ok = await start(link.id, { amount: '10.00', tip: '1.00' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.payment).toMatchObject({ amount: '11.00', tipAmount: '1.00' });
    expectProblem(await start(link.id, { amount: '10.01', tip: '0' }), 409, 'per-payment-limit-exceeded');
  });

  it('is refused (422 on tip) where the point of sale takes none, below zero, above the amount, or malformed; nothing is started', async () => {
    const plain = await createLink(t, { pointOfSaleId: plainPos, amount: '10.00' });
    expectValidation(await start(plain.id, { tip: '1.00' }), 'tip');
    // "no tip" said explicitly is fine anywhere
    const zero = await start(plain.id, { tip: '0.00' });
    expect(zero.status, zero.text).toBe(201);
    expect(zero.body.payment.tipAmount).toBe('0.00');

    const link = await createLink(t, { pointOfSaleId: tipsPos, amount: '10.00', reuse: 'multiple' });
    for (const tip of ['-1.00', -1, '10.01', '1.005', 'lots', '1e3']) {
      const res = await start(link.id, { tip });
      expectValidation(res, 'tip');
    }
    const tooHigh = await start(link.id, { tip: '10.01' });
    expect(tooHigh.body.errors[0]).toMatchObject({ path: 'tip', code: 'tip-too-high', params: { max: '10.00' } });
    expect((await start(link.id, { tip: '-1' })).body.errors[0]).toMatchObject({ code: 'tip-negative' });
    expect((await t.req('GET', `/api/v1/payments?linkId=${link.id}`)).body.data).toHaveLength(0);
    // exactly the amount is the most a tip may be
    expect((await start(link.id, { tip: '10.00' })).body.payment).toMatchObject({ amount: '20.00', tipAmount: '10.00' });
  });

  it('a refund can give back the tip too; a partial refund leaves the rest', async () => {
    const link = await createLink(t, { pointOfSaleId: tipsPos, amount: '8.00' });
    const started = await start(link.id, { tip: '2.00' });
    await complete(started.body.payment.id);
    const part = await t.req('POST', `/api/v1/payments/${started.body.payment.id}/refund`, { amount: '8.00' });
    expect(part.body).toMatchObject({ status: 'partially_refunded', refundedAmount: '8.00', tipAmount: '2.00' });
    const rest = await t.req('POST', `/api/v1/payments/${started.body.payment.id}/refund`, {});
    expect(rest.body).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    expectProblem(await t.req('POST', `/api/v1/payments/${started.body.payment.id}/refund`, { amount: '0.01' }), 409, 'payment-not-refundable');
  });

  it('the dialog offers the presets and an own amount; a preset is worked out by the server (form post, no JavaScript)', async () => {
    const link = await createLink(t, { pointOfSaleId: tipsPos, amount: '12.34', reuse: 'multiple' });
    const page = await t.req('GET', `/en/pay-by-link/${link.id}`, undefined, { auth: false });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Add a tip');
    const offered = [...page.text.matchAll(/<input type="radio"[^>]*name="tip"[^>]*value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['none', '5', '10', '15', 'other']);
    expect(page.text).toContain('€1.23'); // 10 % of 12.34, rounded half up
    const form = (body: string) =>
      t.req('POST', `/pay-by-link/${link.id}/payments`, undefined, { auth: false, raw: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const preset = await form('locale=en&tip=15&method=simulator');
    expect(preset.status, preset.text).toBe(303);
    const other = await form('locale=en&tip=other&tipAmount=2%2C50&method=simulator');
    expect(other.status, other.text).toBe(303);
    const none = await form('locale=en&tip=none&tipAmount=9&method=simulator');
    expect(none.status).toBe(303);
    const list = (await t.req('GET', `/api/v1/payments?linkId=${link.id}`)).body.data;
    expect(list.map((p: { amount: string; tipAmount: string }) => [p.amount, p.tipAmount])).toEqual([
      ['12.34', '0.00'],
      ['14.84', '2.50'],
      ['14.19', '1.85'], // 15 % of 12.34 = 1.851
    ]);
    const bad = await form('locale=en&tip=other&tipAmount=99&method=simulator');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('A tip can be at most €12.34.');
    const notOffered = await form('locale=en&tip=50&method=simulator');
    expect(notOffered.status).toBe(422);
  });

  it('a point of sale without tips shows no tip choice', async () => {
    const link = await createLink(t, { pointOfSaleId: plainPos, amount: '5.00' });
    const page = await t.req('GET', `/en/pay-by-link/${link.id}`, undefined, { auth: false });
    expect(page.text).not.toContain('name="tip"');
  });
});
