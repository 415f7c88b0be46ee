import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorPaths, eventTypes, expectProblem, makeCore, START, LOCK_TTL_MS, type TestCore } from './helpers';
import type { LinkInput } from '../../core/links/input';
import type { StartPaymentInput } from '../../core/payments/service';

let t: TestCore;
beforeEach(() => {
  t = makeCore();
});
afterEach(() => t.core.close());

const create = (input: LinkInput) => t.core.links.create({ name: 'Link', ...input });
const start = (linkId: string, input: StartPaymentInput = {}) => t.core.payments.start(linkId, input).payment;
const succeed = (paymentId: string) => t.core.payments.complete(paymentId, 'succeeded');
const iso = (ms: number) => new Date(ms).toISOString();
const now0 = Date.parse(START);

describe('starting a payment', () => {
  it('creates a pending payment with the link amount, currency and a refId', () => {
    const link = create({ amount: '12.50', refIdBase: 'SHOP', reference: 'Table 4' });
    const payment = start(link.id);
    expect(payment).toEqual({
      id: expect.stringMatching(/^pay_[0-9A-Za-z]{22}$/),
      linkId: link.id,
      refId: 'SHOP-0001',
      status: 'pending',
      amount: '12.50',
      currency: 'EUR',
      method: 'simulator',
      reference: 'Table 4',
      payer: null,
      metadata: {},
      refundedAmount: '0.00',
      createdAt: START,
      completedAt: null,
    });
    expect(t.core.payments.get(payment.id)).toEqual(payment);
  });

  it('takes the payer, a reference and the method', () => {
    const link = create({ amount: '1' });
    const payment = start(link.id, { payer: { name: 'Ada', email: 'ada@example.org' }, reference: 'mine', method: 'simulator' });
    expect(payment).toMatchObject({ payer: { name: 'Ada', email: 'ada@example.org' }, reference: 'mine', method: 'simulator' });
  });

  it('validates its input before touching the link', () => {
    const link = create({ amount: '1' });
    expect(errorPaths(() => start(link.id, { method: 'card' }))).toEqual(['method']);
    expect(errorPaths(() => start(link.id, { payer: { email: 'not-an-email' } }))).toEqual(['payer.email']);
    expect(errorPaths(() => start(link.id, { payer: 'Ada' }))).toEqual(['payer']);
    expect(errorPaths(() => start(link.id, { reference: 'r'.repeat(141) }))).toEqual(['reference']);
    expect(errorPaths(() => start(link.id, { data: { ['k'.repeat(41)]: 'v' } }))).toEqual([`data.${'k'.repeat(41)}`]);
    expect(errorPaths(() => start(link.id, { data: { k: 5 } }))).toEqual(['data.k']);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { pendingCount: 0 } });
  });

  it('a fixed amount ignores an amount sent along', () => {
    const link = create({ amount: '10' });
    expect(start(link.id, { amount: '99.99' }).amount).toBe('10.00');
    const other = create({ amount: '10' });
    expect(start(other.id, { amount: 'garbage' }).amount).toBe('10.00');
  });

  it('an open amount must be given, as a valid amount in the link currency', () => {
    const link = create({ reuse: 'multiple' });
    for (const amount of [undefined, null, '']) expect(errorPaths(() => start(link.id, { amount }))).toEqual(['amount']);
    expect(errorPaths(() => start(link.id, { amount: '1.005' }))).toEqual(['amount']);
    expect(errorPaths(() => start(link.id, { amount: '-1' }))).toEqual(['amount']);
    expect(start(link.id, { amount: '7.5' }).amount).toBe('7.50');
    expect(start(link.id, { amount: 8 }).amount).toBe('8.00');
    const yen = create({ reuse: 'multiple', currency: 'JPY' });
    expect(errorPaths(() => start(yen.id, { amount: '7.5' }))).toEqual(['amount']);
    expect(start(yen.id, { amount: '750' }).amount).toBe('750');
  });

  it('amount-too-low below minAmount', () => {
    const link = create({ reuse: 'multiple', minAmount: '5' });
    const err = expectProblem(() => start(link.id, { amount: '4.99' }), 'amount-too-low');
    expect(err.extras.minAmount).toBe('5.00');
    expect(start(link.id, { amount: '5' }).amount).toBe('5.00');
  });

  it('per-payment-limit-exceeded above perPaymentAmountLimit', () => {
    const link = create({ reuse: 'multiple', perPaymentAmountLimit: '50' });
    const err = expectProblem(() => start(link.id, { amount: '50.01' }), 'per-payment-limit-exceeded');
    expect(err.extras.perPaymentAmountLimit).toBe('50.00');
    expect(start(link.id, { amount: '50' }).amount).toBe('50.00');
  });

  it('metadata: injected data plus the link metadata, the link keys win', () => {
    const link = create({ amount: '1', metadata: { order: 'A-1', channel: 'email' } });
    const payment = start(link.id, { data: { channel: 'forged', customer_id: '123' } });
    expect(payment.metadata).toEqual({ order: 'A-1', channel: 'email', customer_id: '123' });
    // the link itself is not changed by injected data
    expect(t.core.links.get(link.id).metadata).toEqual({ order: 'A-1', channel: 'email' });
  });

  it('refuses links that cannot be paid', () => {
    expectProblem(() => start('pl_nope'), 'not-found');
    const info = create({ type: 'accountInfo' });
    expectProblem(() => start(info.id), 'link-not-usable');
    const disabled = create({ amount: '1', enabled: false });
    expect(expectProblem(() => start(disabled.id), 'link-not-usable').extras.linkStatus).toBe('disabled');
    const expiring = create({ amount: '1', expiresInMinutes: 1 });
    t.clock.advance(60_000);
    expect(expectProblem(() => start(expiring.id), 'link-not-usable').extras.linkStatus).toBe('expired');
    const cancelled = create({ amount: '1' });
    t.core.links.cancel(cancelled.id);
    expect(expectProblem(() => start(cancelled.id), 'link-not-usable').extras.linkStatus).toBe('cancelled');
    expect(t.core.payments.list({}, { limit: 50 }).data).toHaveLength(0);
  });
});

describe('single-use links', () => {
  it('starting locks the link; a second start is refused with link-locked', () => {
    const link = create({ amount: '5' });
    start(link.id);
    const locked = t.core.links.get(link.id);
    expect(locked).toMatchObject({ status: 'locked', lockedUntil: iso(now0 + LOCK_TTL_MS), usage: { pendingCount: 1, count: 0 } });
    const before = t.core.events.lastId();
    const err = expectProblem(() => start(link.id), 'link-locked');
    expect(err.extras.linkStatus).toBe('locked');
    expect(t.core.events.lastId()).toBe(before);
    expect(t.core.payments.list({ linkId: link.id }, { limit: 50 }).data).toHaveLength(1);
  });

  it('events in order: payment.created, link.locked, payment.succeeded, link.consumed, with the views as data', () => {
    const link = create({ amount: '5' });
    const after = t.core.events.lastId();
    const pending = start(link.id);
    const lockedView = t.core.links.get(link.id);
    t.clock.advance(2000);
    const done = succeed(pending.id);
    const consumedView = t.core.links.get(link.id);
    const events = t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    expect(events[0]!.data).toEqual(pending);
    expect(events[1]!.data).toEqual(lockedView);
    expect(events[2]!.data).toEqual(done);
    expect(events[3]!.data).toEqual(consumedView);
    expect(done).toMatchObject({ status: 'succeeded', completedAt: iso(now0 + 2000) });
    expect(consumedView).toMatchObject({ status: 'consumed', lockedUntil: null, usage: { count: 1, amount: '5.00', pendingCount: 0 } });
    expect(events.map((e) => e.createdAt)).toEqual([START, START, iso(now0 + 2000), iso(now0 + 2000)]);
  });

  it('a consumed link takes no further payment', () => {
    const link = create({ amount: '5' });
    succeed(start(link.id).id);
    expect(expectProblem(() => start(link.id), 'link-not-usable').extras.linkStatus).toBe('consumed');
  });

  it('a failed payment unlocks the link for the next attempt', () => {
    const link = create({ amount: '5', refIdBase: 'F' });
    const first = start(link.id);
    const after = t.core.events.lastId();
    expect(t.core.payments.complete(first.id, 'failed').status).toBe('failed');
    expect(eventTypes(t.core, after)).toEqual(['payment.failed', 'link.unlocked']);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { count: 0, pendingCount: 0 } });
    const second = start(link.id);
    expect(second.refId).toBe('F-0002');
    succeed(second.id);
    expect(t.core.links.get(link.id).status).toBe('consumed');
  });

  it('the payer may cancel their payment, which unlocks the link', () => {
    const link = create({ amount: '5' });
    const p = start(link.id);
    const after = t.core.events.lastId();
    expect(t.core.payments.cancelByPayer(link.id, p.id).status).toBe('cancelled');
    expect(eventTypes(t.core, after)).toEqual(['payment.cancelled', 'link.unlocked']);
    expect(t.core.links.get(link.id).status).toBe('enabled');
    expect(expectProblem(() => t.core.payments.cancelByPayer(link.id, p.id), 'payment-not-pending').extras.paymentStatus).toBe('cancelled');
    expectProblem(() => succeed(p.id), 'payment-not-pending');
  });

  it('the payer cannot cancel on a non-cancellable link, nor through another link', () => {
    const link = create({ amount: '5', cancellable: false });
    const p = start(link.id);
    expectProblem(() => t.core.payments.cancelByPayer(link.id, p.id), 'not-cancellable');
    const other = create({ amount: '5' });
    expectProblem(() => t.core.payments.cancelByPayer(other.id, p.id), 'not-found');
    expect(t.core.payments.get(p.id).status).toBe('pending');
  });

  it('lock TTL: a payment still pending becomes abandoned on the next read, and the link unlocks', () => {
    const link = create({ amount: '5', refIdBase: 'TTL' });
    const p = start(link.id);
    t.clock.advance(LOCK_TTL_MS - 1);
    expect(t.core.links.get(link.id).status).toBe('locked');
    expect(t.core.payments.get(p.id).status).toBe('pending');
    const after = t.core.events.lastId();
    t.clock.advance(1);
    // any read applies it: here the payment read
    expect(t.core.payments.get(p.id)).toMatchObject({ status: 'abandoned', completedAt: iso(now0 + LOCK_TTL_MS) });
    expect(eventTypes(t.core, after)).toEqual(['payment.abandoned', 'link.unlocked']);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { pendingCount: 0, count: 0 } });
    // a late completion is refused
    const err = expectProblem(() => succeed(p.id), 'payment-not-pending');
    expect(err.extras.paymentStatus).toBe('abandoned');
    expect(t.core.links.get(link.id).usage.count).toBe(0);
    // and the link can be paid again
    expect(start(link.id).refId).toBe('TTL-0002');
  });

  it('lock TTL is applied before a completion, which is then refused', () => {
    const link = create({ amount: '5' });
    const p = start(link.id);
    t.clock.advance(LOCK_TTL_MS + 1);
    expectProblem(() => succeed(p.id), 'payment-not-pending');
    expect(t.core.payments.get(p.id).status).toBe('abandoned');
    expect(t.core.links.get(link.id).status).toBe('enabled');
  });

  it('lock TTL is applied before a start, which then succeeds', () => {
    const link = create({ amount: '5' });
    start(link.id);
    t.clock.advance(LOCK_TTL_MS);
    expect(start(link.id).status).toBe('pending');
  });

  it('the lock TTL comes from the core options', () => {
    t.core.close();
    t = makeCore({ lockTtlMs: 60_000 });
    const link = create({ amount: '5' });
    const p = start(link.id);
    expect(t.core.links.get(link.id).lockedUntil).toBe(iso(now0 + 60_000));
    t.clock.advance(60_000);
    expect(t.core.payments.get(p.id).status).toBe('abandoned');
  });

  it('completing an unknown payment -> not-found', () => {
    expectProblem(() => succeed('pay_nope'), 'not-found');
    expectProblem(() => t.core.payments.get('pay_nope'), 'not-found');
  });
});

describe('multiple-use links and their limits', () => {
  it('maxUses counts pending payments: usage-limit-reached while the link is still enabled', () => {
    const link = create({ amount: '5', reuse: 'multiple', maxUses: 2 });
    const a = start(link.id);
    const b = start(link.id);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { pendingCount: 2, remainingCount: 0 } });
    expectProblem(() => start(link.id), 'usage-limit-reached');
    t.core.payments.complete(a.id, 'failed'); // gives its use back
    const c = start(link.id);
    succeed(b.id);
    const after = t.core.events.lastId();
    succeed(c.id);
    expect(eventTypes(t.core, after)).toEqual(['payment.succeeded', 'link.limit_reached']);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'usage_limit_reached', usage: { count: 2, amount: '10.00', remainingCount: 0 } });
    const err = expectProblem(() => start(link.id), 'link-not-usable');
    expect(err.extras.linkStatus).toBe('usage_limit_reached');
  });

  it('totalAmountLimit counts pending amounts: amount-limit-reached while enabled', () => {
    const link = create({ reuse: 'multiple', totalAmountLimit: '10' });
    const a = start(link.id, { amount: '6' });
    expect(t.core.links.get(link.id).usage).toMatchObject({ remainingAmount: '4.00', pendingCount: 1 });
    const err = expectProblem(() => start(link.id, { amount: '5' }), 'amount-limit-reached');
    expect(err.extras.remainingAmount).toBe('4.00');
    const b = start(link.id, { amount: '4' });
    succeed(a.id);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { count: 1, amount: '6.00', remainingAmount: '0.00' } });
    succeed(b.id);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'amount_limit_reached', usage: { count: 2, amount: '10.00' } });
    expect(expectProblem(() => start(link.id, { amount: '0.01' }), 'link-not-usable').extras.linkStatus).toBe('amount_limit_reached');
  });

  it('an abandoned pending payment gives back its use and amount on a multiple-use link too', () => {
    const link = create({ amount: '5', reuse: 'multiple', maxUses: 1, totalAmountLimit: '5' });
    const p = start(link.id);
    expectProblem(() => start(link.id), 'usage-limit-reached');
    t.clock.advance(LOCK_TTL_MS);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { pendingCount: 0, remainingCount: 1, remainingAmount: '5.00' } });
    expect(t.core.payments.get(p.id).status).toBe('abandoned');
    succeed(start(link.id).id);
    expect(t.core.links.get(link.id).status).toBe('usage_limit_reached');
  });

  it('a multiple-use link is never locked and emits no lock events', () => {
    const link = create({ amount: '5', reuse: 'multiple' });
    const after = t.core.events.lastId();
    const a = start(link.id);
    start(link.id);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { pendingCount: 2 } });
    t.core.payments.complete(a.id, 'failed');
    expect(eventTypes(t.core, after)).toEqual(['payment.created', 'payment.created', 'payment.failed']);
  });

  it('the amount limit is reached when less than the fixed amount is left', () => {
    const link = create({ amount: '4', reuse: 'multiple', totalAmountLimit: '10' });
    succeed(start(link.id).id);
    succeed(start(link.id).id);
    expect(t.core.links.get(link.id)).toMatchObject({ status: 'amount_limit_reached', usage: { amount: '8.00', remainingAmount: '2.00' } });
  });
});

describe('refunds', () => {
  const paid = (amount = '10') => {
    const link = create({ amount, reuse: 'multiple' });
    return succeed(start(link.id).id);
  };

  it('partial, then the rest, then nothing more', () => {
    const p = paid('10');
    const after = t.core.events.lastId();
    const partial = t.core.payments.refund(p.id, '3');
    expect(partial).toMatchObject({ status: 'partially_refunded', refundedAmount: '3.00' });
    const over = expectProblem(() => t.core.payments.refund(p.id, '7.01'), 'refund-exceeds-remaining');
    expect(over.extras.refundable).toBe('7.00');
    expect(t.core.payments.get(p.id)).toMatchObject({ status: 'partially_refunded', refundedAmount: '3.00' });
    const full = t.core.payments.refund(p.id, undefined);
    expect(full).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    const events = t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['payment.refunded', 'payment.refunded']);
    expect(events[0]!.data).toEqual(partial);
    expect(events[1]!.data).toEqual(full);
    expect(expectProblem(() => t.core.payments.refund(p.id, '0.01'), 'payment-not-refundable').extras.paymentStatus).toBe('refunded');
  });

  it('a full refund in one go; the exact rest in a second step', () => {
    expect(t.core.payments.refund(paid('10').id, null)).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    const p = paid('10');
    t.core.payments.refund(p.id, '9.99');
    expect(t.core.payments.refund(p.id, '0.01')).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
  });

  it('more than the payment is refused; invalid amounts are validation errors', () => {
    const p = paid('10');
    expectProblem(() => t.core.payments.refund(p.id, '10.01'), 'refund-exceeds-remaining');
    expect(errorPaths(() => t.core.payments.refund(p.id, '0'))).toEqual(['amount']);
    expect(errorPaths(() => t.core.payments.refund(p.id, '1.001'))).toEqual(['amount']);
    expect(t.core.payments.get(p.id)).toMatchObject({ status: 'succeeded', refundedAmount: '0.00' });
  });

  it('only succeeded or partially refunded payments can be refunded', () => {
    const link = create({ amount: '5', reuse: 'multiple' });
    const pending = start(link.id);
    expect(expectProblem(() => t.core.payments.refund(pending.id, undefined), 'payment-not-refundable').extras.paymentStatus).toBe('pending');
    const failed = t.core.payments.complete(start(link.id).id, 'failed');
    expectProblem(() => t.core.payments.refund(failed.id, undefined), 'payment-not-refundable');
    expectProblem(() => t.core.payments.refund('pay_nope', undefined), 'not-found');
  });
});

describe('listing payments', () => {
  it('newest first, filtered by link and status, paged with a cursor', () => {
    const a = create({ amount: '1', reuse: 'multiple' });
    const b = create({ amount: '1', reuse: 'multiple' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      const p = start(i % 2 === 0 ? a.id : b.id);
      ids.push(p.id);
      if (i < 3) succeed(p.id);
    }
    const all = t.core.payments.list({}, { limit: 50 }).data.map((p) => p.id);
    expect(all).toEqual([...ids].reverse());
    expect(t.core.payments.list({ linkId: a.id }, { limit: 50 }).data.map((p) => p.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect(t.core.payments.list({ status: 'pending' }, { limit: 50 }).data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    const page1 = t.core.payments.list({}, { limit: 2 });
    expect(page1.data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = t.core.payments.list({}, { limit: 2, cursor: page1.nextCursor! });
    expect(page2.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const page3 = t.core.payments.list({}, { limit: 2, cursor: page2.nextCursor! });
    expect(page3).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });
});
