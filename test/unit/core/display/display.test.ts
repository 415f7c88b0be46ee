import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorPaths, eventTypes, expectProblem, makeCore, START, LOCK_TTL_MS, type TestCore } from '../../../support/core';

const RESULT_MS = 6_000;

let t: TestCore;
let posId: string;
beforeEach(async () => {
  t = await makeCore({ displayResultMs: RESULT_MS });
  posId = (await t.core.pointsOfSale.list()).find((p) => p.isDefault)!.id;
});
afterEach(() => t.core.close());

const display = () => t.core.display.get(posId);
const now0 = Date.parse(START);

describe('charges', () => {
  it('creates a single-use link expiring in 15 minutes and shows it on the default display', async () => {
    expect(await display()).toMatchObject({ pointOfSaleId: posId, mode: 'idle', linkId: null, paymentId: null, link: null, payment: null });
    const after = await t.core.events.lastId();
    const link = await t.core.charges.create({ amount: '12.50' });
    expect(link).toMatchObject({
      name: 'Counter charge',
      amount: '12.50',
      currency: 'EUR',
      reuse: 'single',
      status: 'enabled',
      pointOfSaleId: posId,
      expiresAt: new Date(now0 + 15 * 60_000).toISOString(),
    });
    expect(await display()).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null, link: { id: link.id, status: 'enabled' } });
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['link.created', 'display.updated']);
    expect(events[1]!.data).toMatchObject({ pointOfSaleId: posId, mode: 'link', linkId: link.id });
  });

  it('takes expiresInMinutes, a reference (which names it) and another point of sale', async () => {
    const pos = await t.core.pointsOfSale.create({ name: 'Second till', currency: 'JPY' });
    const link = await t.core.charges.create({ amount: '1200', expiresInMinutes: 5, reference: 'T-7', pointOfSaleId: pos.id });
    expect(link).toMatchObject({ name: 'Charge T-7', reference: 'T-7', currency: 'JPY', amount: '1200', expiresAt: new Date(now0 + 5 * 60_000).toISOString() });
    expect(await t.core.display.get(pos.id)).toMatchObject({ mode: 'link', linkId: link.id });
    expect((await display()).mode).toBe('idle');
  });

  it('refuses a missing amount and fields that are not charge fields, storing nothing', async () => {
    expect(await errorPaths(() => t.core.charges.create({}))).toEqual(['amount']);
    expect((await errorPaths(() => t.core.charges.create({ amount: '1', reuse: 'multiple', maxUses: 2 }))).sort()).toEqual(['maxUses', 'reuse']);
    expect(await errorPaths(() => t.core.charges.create({ amount: '1.005' }))).toEqual(['amount']);
    expect(await errorPaths(() => t.core.charges.create({ amount: '1', expiresInMinutes: 0 }))).toEqual(['expiresInMinutes']);
    expect((await t.core.links.list({}, { limit: 50 })).data).toHaveLength(0);
    expect((await display()).mode).toBe('idle');
    expect(await eventTypes(t.core)).toEqual([]);
  });

  it('an expired charge leaves the display', async () => {
    const link = await t.core.charges.create({ amount: '3' });
    t.clock.advance(15 * 60_000);
    await t.core.sweeper.run();
    expect((await t.core.links.get(link.id)).status).toBe('expired');
    expect(await display()).toMatchObject({ mode: 'idle', linkId: null });
  });
});

describe('the counter display', () => {
  it('follows a payment: link -> result -> back to the link after a failure, idle after success', async () => {
    const link = await t.core.charges.create({ amount: '9.90' });
    const first = (await t.core.payments.start(link.id, {})).payment;
    expect(await display()).toMatchObject({ mode: 'link', linkId: link.id, paymentId: first.id, payment: { status: 'pending' } });

    await t.core.payments.complete(first.id, 'failed');
    expect(await display()).toMatchObject({ mode: 'result', linkId: link.id, paymentId: first.id, payment: { status: 'failed' } });
    t.clock.advance(RESULT_MS - 1);
    await t.core.sweeper.run();
    expect((await display()).mode).toBe('result');
    t.clock.advance(1);
    await t.core.sweeper.run();
    // the link can still be paid: show it again
    expect(await display()).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null, link: { status: 'enabled' } });

    const second = (await t.core.payments.start(link.id, {})).payment;
    await t.core.payments.complete(second.id, 'succeeded');
    expect(await display()).toMatchObject({ mode: 'result', linkId: link.id, paymentId: second.id, payment: { status: 'succeeded' } });
    t.clock.advance(RESULT_MS);
    await t.core.sweeper.run();
    expect(await display()).toMatchObject({ mode: 'idle', linkId: null, paymentId: null });
  });

  it('an abandoned payment shows its result, then the link again', async () => {
    const link = await t.core.charges.create({ amount: '2', expiresInMinutes: 60 });
    await t.core.payments.start(link.id, {});
    t.clock.advance(LOCK_TTL_MS);
    await t.core.sweeper.run();
    expect(await display()).toMatchObject({ mode: 'result', payment: { status: 'abandoned' } });
    t.clock.advance(RESULT_MS);
    await t.core.sweeper.run();
    expect(await display()).toMatchObject({ mode: 'link', linkId: link.id });
  });

  it('every change appends display.updated with the display as data', async () => {
    const link = await t.core.charges.create({ amount: '2' });
    const after = await t.core.events.lastId();
    const p = (await t.core.payments.start(link.id, {})).payment;
    await t.core.payments.complete(p.id, 'succeeded');
    t.clock.advance(RESULT_MS);
    await t.core.sweeper.run();
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual([
      'payment.created',
      'link.locked',
      'display.updated',
      'payment.succeeded',
      'link.consumed',
      'display.updated',
      'display.updated',
    ]);
    const modes = events.filter((e) => e.type === 'display.updated').map((e) => (e.data as { mode: string }).mode);
    expect(modes).toEqual(['link', 'result', 'idle']);
    expect(events[events.length - 1]!.data).toEqual(await display());
  });

  it('a reusable link on show comes back after each payment result, ready for the next customer', async () => {
    const poster = await t.core.links.create({ name: 'Poster', amount: '5', reuse: 'multiple' });
    await t.core.display.show(poster.id);
    await t.core.payments.complete((await t.core.payments.start(poster.id, {})).payment.id, 'succeeded');
    expect(await display()).toMatchObject({ mode: 'result', linkId: poster.id });
    t.clock.advance(RESULT_MS);
    await t.core.sweeper.run();
    expect(await display()).toMatchObject({ mode: 'link', linkId: poster.id, paymentId: null });
  });

  it('show, clear, and what cannot be shown', async () => {
    const link = await t.core.links.create({ name: 'Poster', amount: '5', reuse: 'multiple' });
    expect(await t.core.display.show(link.id)).toMatchObject({ pointOfSaleId: posId, mode: 'link', linkId: link.id });
    expect(await t.core.display.clear(posId)).toMatchObject({ mode: 'idle', linkId: null });
    const consumed = await t.core.links.create({ name: 'Paid', amount: '5' });
    await t.core.payments.complete((await t.core.payments.start(consumed.id, {})).payment.id, 'succeeded');
    expect((await expectProblem(() => t.core.display.show(consumed.id), 'link-not-usable')).extras.linkStatus).toBe('consumed');
    await expectProblem(() => t.core.display.show('pl_nope'), 'not-found');
    await expectProblem(() => t.core.display.clear('pos_nope'), 'not-found');
    await expectProblem(() => t.core.display.get('pos_nope'), 'not-found');
  });

  it('a locked link can be shown, with its payment in progress', async () => {
    const link = await t.core.links.create({ name: 'L', amount: '5' });
    const p = (await t.core.payments.start(link.id, {})).payment;
    expect(await t.core.display.show(link.id)).toMatchObject({ mode: 'link', linkId: link.id, paymentId: p.id });
  });

  it('cancelling the link on show clears the display', async () => {
    const link = await t.core.charges.create({ amount: '2' });
    await t.core.links.cancel(link.id);
    expect(await display()).toMatchObject({ mode: 'idle', linkId: null });
  });
});
