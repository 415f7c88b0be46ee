import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorPaths, eventTypes, expectProblem, makeCore, START, LOCK_TTL_MS, type TestCore } from './helpers';

const RESULT_MS = 6_000;

let t: TestCore;
let posId: string;
beforeEach(() => {
  t = makeCore({ displayResultMs: RESULT_MS });
  posId = t.core.pointsOfSale.list().find((p) => p.isDefault)!.id;
});
afterEach(() => t.core.close());

const display = () => t.core.display.get(posId);
const now0 = Date.parse(START);

describe('charges', () => {
  it('creates a single-use link expiring in 15 minutes and shows it on the default display', () => {
    expect(display()).toMatchObject({ pointOfSaleId: posId, mode: 'idle', linkId: null, paymentId: null, link: null, payment: null });
    const after = t.core.events.lastId();
    const link = t.core.charges.create({ amount: '12.50' });
    expect(link).toMatchObject({
      name: 'Counter charge',
      amount: '12.50',
      currency: 'EUR',
      reuse: 'single',
      status: 'enabled',
      pointOfSaleId: posId,
      expiresAt: new Date(now0 + 15 * 60_000).toISOString(),
    });
    expect(display()).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null, link: { id: link.id, status: 'enabled' } });
    const events = t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['link.created', 'display.updated']);
    expect(events[1]!.data).toMatchObject({ pointOfSaleId: posId, mode: 'link', linkId: link.id });
  });

  it('takes expiresInMinutes, a reference (which names it) and another point of sale', () => {
    const pos = t.core.pointsOfSale.create({ name: 'Second till', currency: 'JPY' });
    const link = t.core.charges.create({ amount: '1200', expiresInMinutes: 5, reference: 'T-7', pointOfSaleId: pos.id });
    expect(link).toMatchObject({ name: 'Charge T-7', reference: 'T-7', currency: 'JPY', amount: '1200', expiresAt: new Date(now0 + 5 * 60_000).toISOString() });
    expect(t.core.display.get(pos.id)).toMatchObject({ mode: 'link', linkId: link.id });
    expect(display().mode).toBe('idle');
  });

  it('refuses a missing amount and fields that are not charge fields, storing nothing', () => {
    expect(errorPaths(() => t.core.charges.create({}))).toEqual(['amount']);
    expect(errorPaths(() => t.core.charges.create({ amount: '1', reuse: 'multiple', maxUses: 2 })).sort()).toEqual(['maxUses', 'reuse']);
    expect(errorPaths(() => t.core.charges.create({ amount: '1.005' }))).toEqual(['amount']);
    expect(errorPaths(() => t.core.charges.create({ amount: '1', expiresInMinutes: 0 }))).toEqual(['expiresInMinutes']);
    expect(t.core.links.list({}, { limit: 50 }).data).toHaveLength(0);
    expect(display().mode).toBe('idle');
    expect(eventTypes(t.core)).toEqual([]);
  });

  it('an expired charge leaves the display', () => {
    const link = t.core.charges.create({ amount: '3' });
    t.clock.advance(15 * 60_000);
    t.core.sweeper.run();
    expect(t.core.links.get(link.id).status).toBe('expired');
    expect(display()).toMatchObject({ mode: 'idle', linkId: null });
  });
});

describe('the counter display', () => {
  it('follows a payment: link -> result -> back to the link after a failure, idle after success', () => {
    const link = t.core.charges.create({ amount: '9.90' });
    const first = t.core.payments.start(link.id, {}).payment;
    expect(display()).toMatchObject({ mode: 'link', linkId: link.id, paymentId: first.id, payment: { status: 'pending' } });

    t.core.payments.complete(first.id, 'failed');
    expect(display()).toMatchObject({ mode: 'result', linkId: link.id, paymentId: first.id, payment: { status: 'failed' } });
    t.clock.advance(RESULT_MS - 1);
    t.core.sweeper.run();
    expect(display().mode).toBe('result');
    t.clock.advance(1);
    t.core.sweeper.run();
    // the link can still be paid: show it again
    expect(display()).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null, link: { status: 'enabled' } });

    const second = t.core.payments.start(link.id, {}).payment;
    t.core.payments.complete(second.id, 'succeeded');
    expect(display()).toMatchObject({ mode: 'result', linkId: link.id, paymentId: second.id, payment: { status: 'succeeded' } });
    t.clock.advance(RESULT_MS);
    t.core.sweeper.run();
    expect(display()).toMatchObject({ mode: 'idle', linkId: null, paymentId: null });
  });

  it('an abandoned payment shows its result, then the link again', () => {
    const link = t.core.charges.create({ amount: '2', expiresInMinutes: 60 });
    t.core.payments.start(link.id, {});
    t.clock.advance(LOCK_TTL_MS);
    t.core.sweeper.run();
    expect(display()).toMatchObject({ mode: 'result', payment: { status: 'abandoned' } });
    t.clock.advance(RESULT_MS);
    t.core.sweeper.run();
    expect(display()).toMatchObject({ mode: 'link', linkId: link.id });
  });

  it('every change appends display.updated with the display as data', () => {
    const link = t.core.charges.create({ amount: '2' });
    const after = t.core.events.lastId();
    const p = t.core.payments.start(link.id, {}).payment;
    t.core.payments.complete(p.id, 'succeeded');
    t.clock.advance(RESULT_MS);
    t.core.sweeper.run();
    const events = t.core.events.after(after, 100);
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
    expect(events[events.length - 1]!.data).toEqual(display());
  });

  it('a reusable link on show comes back after each payment result, ready for the next customer', () => {
    const poster = t.core.links.create({ name: 'Poster', amount: '5', reuse: 'multiple' });
    t.core.display.show(poster.id);
    t.core.payments.complete(t.core.payments.start(poster.id, {}).payment.id, 'succeeded');
    expect(display()).toMatchObject({ mode: 'result', linkId: poster.id });
    t.clock.advance(RESULT_MS);
    t.core.sweeper.run();
    expect(display()).toMatchObject({ mode: 'link', linkId: poster.id, paymentId: null });
  });

  it('show, clear, and what cannot be shown', () => {
    const link = t.core.links.create({ name: 'Poster', amount: '5', reuse: 'multiple' });
    expect(t.core.display.show(link.id)).toMatchObject({ pointOfSaleId: posId, mode: 'link', linkId: link.id });
    expect(t.core.display.clear(posId)).toMatchObject({ mode: 'idle', linkId: null });
    const consumed = t.core.links.create({ name: 'Paid', amount: '5' });
    t.core.payments.complete(t.core.payments.start(consumed.id, {}).payment.id, 'succeeded');
    expect(expectProblem(() => t.core.display.show(consumed.id), 'link-not-usable').extras.linkStatus).toBe('consumed');
    expectProblem(() => t.core.display.show('pl_nope'), 'not-found');
    expectProblem(() => t.core.display.clear('pos_nope'), 'not-found');
    expectProblem(() => t.core.display.get('pos_nope'), 'not-found');
  });

  it('a locked link can be shown, with its payment in progress', () => {
    const link = t.core.links.create({ name: 'L', amount: '5' });
    const p = t.core.payments.start(link.id, {}).payment;
    expect(t.core.display.show(link.id)).toMatchObject({ mode: 'link', linkId: link.id, paymentId: p.id });
  });

  it('cancelling the link on show clears the display', () => {
    const link = t.core.charges.create({ amount: '2' });
    t.core.links.cancel(link.id);
    expect(display()).toMatchObject({ mode: 'idle', linkId: null });
  });
});
