import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorPaths, eventTypes, expectProblem, makeCore, START, LOCK_TTL_MS, type TestCore } from '../../../support/core';
import type { LinkInput } from '../../../../core/links/input';
import type { StartPaymentInput } from '../../../../core/payments/service';

let t: TestCore;
beforeEach(async () => {
  t = await makeCore();
});
afterEach(() => t.core.close());

const create = (input: LinkInput) => t.core.links.create({ name: 'Link', ...input });
const start = async (linkId: string, input: StartPaymentInput = {}) => (await t.core.payments.start(linkId, input)).payment;
const succeed = (paymentId: string) => t.core.payments.complete(paymentId, 'succeeded');
const iso = (ms: number) => new Date(ms).toISOString();
const now0 = Date.parse(START);

describe('starting a payment', () => {
  it('creates a pending payment with the link amount, currency and a refId', async () => {
    const link = await create({ amount: '12.50', refIdBase: 'SHOP', reference: 'Table 4' });
    const payment = await start(link.id);
    expect(payment).toEqual({
      id: expect.stringMatching(/^pay_[0-9A-Za-z]{22}$/),
      linkId: link.id,
      refId: 'SHOP-0001',
      status: 'pending',
      amount: '12.50',
      tipAmount: '0.00',
      currency: 'EUR',
      method: 'simulator',
      reference: 'Table 4',
      payer: null,
      metadata: {},
      refundedAmount: '0.00',
      livemode: false,
      providerReference: null,
      createdAt: START,
      completedAt: null,
    });
    expect(await t.core.payments.get(payment.id)).toEqual(payment);
  });

  it('takes the payer, a reference and the method', async () => {
    const link = await create({ amount: '1' });
    const payment = await start(link.id, { payer: { name: 'Ada', email: 'ada@example.org' }, reference: 'mine', method: 'simulator' });
    expect(payment).toMatchObject({ payer: { name: 'Ada', email: 'ada@example.org' }, reference: 'mine', method: 'simulator' });
  });

  it('validates its input before touching the link', async () => {
    const link = await create({ amount: '1' });
    expect(await errorPaths(() => start(link.id, { method: 'card' }))).toEqual(['method']);
    expect(await errorPaths(() => start(link.id, { payer: { email: 'not-an-email' } }))).toEqual(['payer.email']);
    expect(await errorPaths(() => start(link.id, { payer: 'Ada' }))).toEqual(['payer']);
    expect(await errorPaths(() => start(link.id, { reference: 'r'.repeat(141) }))).toEqual(['reference']);
    expect(await errorPaths(() => start(link.id, { data: { ['k'.repeat(41)]: 'v' } }))).toEqual([`data.${'k'.repeat(41)}`]);
    expect(await errorPaths(() => start(link.id, { data: { k: 5 } }))).toEqual(['data.k']);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { pendingCount: 0 } });
  });

  it('a fixed amount ignores an amount sent along', async () => {
    const link = await create({ amount: '10' });
    expect((await start(link.id, { amount: '99.99' })).amount).toBe('10.00');
    const other = await create({ amount: '10' });
    expect((await start(other.id, { amount: 'garbage' })).amount).toBe('10.00');
  });

  it('an open amount must be given, as a valid amount in the link currency', async () => {
    const link = await create({ reuse: 'multiple' });
    for (const amount of [undefined, null, '']) expect(await errorPaths(() => start(link.id, { amount }))).toEqual(['amount']);
    expect(await errorPaths(() => start(link.id, { amount: '1.005' }))).toEqual(['amount']);
    expect(await errorPaths(() => start(link.id, { amount: '-1' }))).toEqual(['amount']);
    expect((await start(link.id, { amount: '7.5' })).amount).toBe('7.50');
    expect((await start(link.id, { amount: 8 })).amount).toBe('8.00');
    const yen = await create({ reuse: 'multiple', currency: 'JPY' });
    expect(await errorPaths(() => start(yen.id, { amount: '7.5' }))).toEqual(['amount']);
    expect((await start(yen.id, { amount: '750' })).amount).toBe('750');
  });

  it('amount-too-low below minAmount', async () => {
    const link = await create({ reuse: 'multiple', minAmount: '5' });
    const err = await expectProblem(() => start(link.id, { amount: '4.99' }), 'amount-too-low');
    expect(err.extras.minAmount).toBe('5.00');
    expect((await start(link.id, { amount: '5' })).amount).toBe('5.00');
  });

  it('per-payment-limit-exceeded above perPaymentAmountLimit', async () => {
    const link = await create({ reuse: 'multiple', perPaymentAmountLimit: '50' });
    const err = await expectProblem(() => start(link.id, { amount: '50.01' }), 'per-payment-limit-exceeded');
    expect(err.extras.perPaymentAmountLimit).toBe('50.00');
    expect((await start(link.id, { amount: '50' })).amount).toBe('50.00');
  });

  it('metadata: injected data plus the link metadata, the link keys win', async () => {
    const link = await create({ amount: '1', metadata: { order: 'A-1', channel: 'email' } });
    const payment = await start(link.id, { data: { channel: 'forged', customer_id: '123' } });
    expect(payment.metadata).toEqual({ order: 'A-1', channel: 'email', customer_id: '123' });
    // the link itself is not changed by injected data
    expect((await t.core.links.get(link.id)).metadata).toEqual({ order: 'A-1', channel: 'email' });
  });

  it('refuses links that cannot be paid', async () => {
    await expectProblem(() => start('pl_nope'), 'not-found');
    const info = await create({ type: 'accountInfo' });
    await expectProblem(() => start(info.id), 'link-not-usable');
    const disabled = await create({ amount: '1', enabled: false });
    expect((await expectProblem(() => start(disabled.id), 'link-not-usable')).extras.linkStatus).toBe('disabled');
    const expiring = await create({ amount: '1', expiresInMinutes: 1 });
    t.clock.advance(60_000);
    expect((await expectProblem(() => start(expiring.id), 'link-not-usable')).extras.linkStatus).toBe('expired');
    const cancelled = await create({ amount: '1' });
    await t.core.links.cancel(cancelled.id);
    expect((await expectProblem(() => start(cancelled.id), 'link-not-usable')).extras.linkStatus).toBe('cancelled');
    expect((await t.core.payments.list({}, { limit: 50 })).data).toHaveLength(0);
  });
});

describe('single-use links', () => {
  it('starting locks the link; a second start is refused with link-locked', async () => {
    const link = await create({ amount: '5' });
    await start(link.id);
    const locked = await t.core.links.get(link.id);
    expect(locked).toMatchObject({ status: 'locked', lockedUntil: iso(now0 + LOCK_TTL_MS), usage: { pendingCount: 1, count: 0 } });
    const before = await t.core.events.lastId();
    const err = await expectProblem(() => start(link.id), 'link-locked');
    expect(err.extras.linkStatus).toBe('locked');
    expect(await t.core.events.lastId()).toBe(before);
    expect((await t.core.payments.list({ linkId: link.id }, { limit: 50 })).data).toHaveLength(1);
  });

  it('events in order: payment.created, link.locked, payment.succeeded, link.consumed, with the views as data', async () => {
    const link = await create({ amount: '5' });
    const after = await t.core.events.lastId();
    const pending = await start(link.id);
    const lockedView = await t.core.links.get(link.id);
    t.clock.advance(2000);
    const done = await succeed(pending.id);
    const consumedView = await t.core.links.get(link.id);
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'link.locked', 'payment.succeeded', 'link.consumed']);
    expect(events[0]!.data).toEqual(pending);
    expect(events[1]!.data).toEqual(lockedView);
    expect(events[2]!.data).toEqual(done);
    expect(events[3]!.data).toEqual(consumedView);
    expect(done).toMatchObject({ status: 'succeeded', completedAt: iso(now0 + 2000) });
    expect(consumedView).toMatchObject({ status: 'consumed', lockedUntil: null, usage: { count: 1, amount: '5.00', pendingCount: 0 } });
    expect(events.map((e) => e.createdAt)).toEqual([START, START, iso(now0 + 2000), iso(now0 + 2000)]);
  });

  it('a consumed link takes no further payment', async () => {
    const link = await create({ amount: '5' });
    await succeed((await start(link.id)).id);
    expect((await expectProblem(() => start(link.id), 'link-not-usable')).extras.linkStatus).toBe('consumed');
  });

  it('a failed payment unlocks the link for the next attempt', async () => {
    const link = await create({ amount: '5', refIdBase: 'F' });
    const first = await start(link.id);
    const after = await t.core.events.lastId();
    expect((await t.core.payments.complete(first.id, 'failed')).status).toBe('failed');
    expect(await eventTypes(t.core, after)).toEqual(['payment.failed', 'link.unlocked']);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { count: 0, pendingCount: 0 } });
    const second = await start(link.id);
    expect(second.refId).toBe('F-0002');
    await succeed(second.id);
    expect((await t.core.links.get(link.id)).status).toBe('consumed');
  });

  it('the payer may cancel their payment, which unlocks the link', async () => {
    const link = await create({ amount: '5' });
    const p = await start(link.id);
    const after = await t.core.events.lastId();
    expect((await t.core.payments.cancelByPayer(link.id, p.id)).status).toBe('cancelled');
    expect(await eventTypes(t.core, after)).toEqual(['payment.cancelled', 'link.unlocked']);
    expect((await t.core.links.get(link.id)).status).toBe('enabled');
    expect((await expectProblem(() => t.core.payments.cancelByPayer(link.id, p.id), 'payment-not-pending')).extras.paymentStatus).toBe('cancelled');
    await expectProblem(() => succeed(p.id), 'payment-not-pending');
  });

  it('the payer cannot cancel on a non-cancellable link, nor through another link', async () => {
    const link = await create({ amount: '5', cancellable: false });
    const p = await start(link.id);
    await expectProblem(() => t.core.payments.cancelByPayer(link.id, p.id), 'not-cancellable');
    const other = await create({ amount: '5' });
    await expectProblem(() => t.core.payments.cancelByPayer(other.id, p.id), 'not-found');
    expect((await t.core.payments.get(p.id)).status).toBe('pending');
  });

  it('lock TTL: a payment still pending becomes abandoned on the next read, and the link unlocks', async () => {
    const link = await create({ amount: '5', refIdBase: 'TTL' });
    const p = await start(link.id);
    t.clock.advance(LOCK_TTL_MS - 1);
    expect((await t.core.links.get(link.id)).status).toBe('locked');
    expect((await t.core.payments.get(p.id)).status).toBe('pending');
    const after = await t.core.events.lastId();
    t.clock.advance(1);
    // any read applies it: here the payment read
    expect(await t.core.payments.get(p.id)).toMatchObject({ status: 'abandoned', completedAt: iso(now0 + LOCK_TTL_MS) });
    expect(await eventTypes(t.core, after)).toEqual(['payment.abandoned', 'link.unlocked']);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { pendingCount: 0, count: 0 } });
    // a late completion is refused
    const err = await expectProblem(() => succeed(p.id), 'payment-not-pending');
    expect(err.extras.paymentStatus).toBe('abandoned');
    expect((await t.core.links.get(link.id)).usage.count).toBe(0);
    // and the link can be paid again
    expect((await start(link.id)).refId).toBe('TTL-0002');
  });

  it('lock TTL is applied before a completion, which is then refused', async () => {
    const link = await create({ amount: '5' });
    const p = await start(link.id);
    t.clock.advance(LOCK_TTL_MS + 1);
    await expectProblem(() => succeed(p.id), 'payment-not-pending');
    expect((await t.core.payments.get(p.id)).status).toBe('abandoned');
    expect((await t.core.links.get(link.id)).status).toBe('enabled');
  });

  it('lock TTL is applied before a start, which then succeeds', async () => {
    const link = await create({ amount: '5' });
    await start(link.id);
    t.clock.advance(LOCK_TTL_MS);
    expect((await start(link.id)).status).toBe('pending');
  });

  it('the lock TTL comes from the core options', async () => {
    await t.core.close();
    t = await makeCore({ lockTtlMs: 60_000 });
    const link = await create({ amount: '5' });
    const p = await start(link.id);
    expect((await t.core.links.get(link.id)).lockedUntil).toBe(iso(now0 + 60_000));
    t.clock.advance(60_000);
    expect((await t.core.payments.get(p.id)).status).toBe('abandoned');
  });

  it('completing an unknown payment -> not-found', async () => {
    await expectProblem(() => succeed('pay_nope'), 'not-found');
    await expectProblem(() => t.core.payments.get('pay_nope'), 'not-found');
  });
});

describe('multiple-use links and their limits', () => {
  it('maxUses counts pending payments: usage-limit-reached while the link is still enabled', async () => {
    const link = await create({ amount: '5', reuse: 'multiple', maxUses: 2 });
    const a = await start(link.id);
    const b = await start(link.id);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { pendingCount: 2, remainingCount: 0 } });
    await expectProblem(() => start(link.id), 'usage-limit-reached');
    await t.core.payments.complete(a.id, 'failed'); // gives its use back
    const c = await start(link.id);
    await succeed(b.id);
    const after = await t.core.events.lastId();
    await succeed(c.id);
    expect(await eventTypes(t.core, after)).toEqual(['payment.succeeded', 'link.limit_reached']);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'usage_limit_reached', usage: { count: 2, amount: '10.00', remainingCount: 0 } });
    const err = await expectProblem(() => start(link.id), 'link-not-usable');
    expect(err.extras.linkStatus).toBe('usage_limit_reached');
  });

  it('totalAmountLimit counts pending amounts: amount-limit-reached while enabled', async () => {
    const link = await create({ reuse: 'multiple', totalAmountLimit: '10' });
    const a = await start(link.id, { amount: '6' });
    expect((await t.core.links.get(link.id)).usage).toMatchObject({ remainingAmount: '4.00', pendingCount: 1 });
    const err = await expectProblem(() => start(link.id, { amount: '5' }), 'amount-limit-reached');
    expect(err.extras.remainingAmount).toBe('4.00');
    const b = await start(link.id, { amount: '4' });
    await succeed(a.id);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { count: 1, amount: '6.00', remainingAmount: '0.00' } });
    await succeed(b.id);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'amount_limit_reached', usage: { count: 2, amount: '10.00' } });
    expect((await expectProblem(() => start(link.id, { amount: '0.01' }), 'link-not-usable')).extras.linkStatus).toBe('amount_limit_reached');
  });

  it('an abandoned pending payment gives back its use and amount on a multiple-use link too', async () => {
    const link = await create({ amount: '5', reuse: 'multiple', maxUses: 1, totalAmountLimit: '5' });
    const p = await start(link.id);
    await expectProblem(() => start(link.id), 'usage-limit-reached');
    t.clock.advance(LOCK_TTL_MS);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', usage: { pendingCount: 0, remainingCount: 1, remainingAmount: '5.00' } });
    expect((await t.core.payments.get(p.id)).status).toBe('abandoned');
    await succeed((await start(link.id)).id);
    expect((await t.core.links.get(link.id)).status).toBe('usage_limit_reached');
  });

  it('a multiple-use link is never locked and emits no lock events', async () => {
    const link = await create({ amount: '5', reuse: 'multiple' });
    const after = await t.core.events.lastId();
    const a = await start(link.id);
    await start(link.id);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'enabled', lockedUntil: null, usage: { pendingCount: 2 } });
    await t.core.payments.complete(a.id, 'failed');
    expect(await eventTypes(t.core, after)).toEqual(['payment.created', 'payment.created', 'payment.failed']);
  });

  it('the amount limit is reached when less than the fixed amount is left', async () => {
    const link = await create({ amount: '4', reuse: 'multiple', totalAmountLimit: '10' });
    await succeed((await start(link.id)).id);
    await succeed((await start(link.id)).id);
    expect(await t.core.links.get(link.id)).toMatchObject({ status: 'amount_limit_reached', usage: { amount: '8.00', remainingAmount: '2.00' } });
  });
});

describe('refunds', () => {
  const paid = async (amount = '10') => {
    const link = await create({ amount, reuse: 'multiple' });
    return succeed((await start(link.id)).id);
  };

  it('partial, then the rest, then nothing more', async () => {
    const p = await paid('10');
    const after = await t.core.events.lastId();
    const partial = await t.core.payments.refund(p.id, '3');
    expect(partial).toMatchObject({ status: 'partially_refunded', refundedAmount: '3.00' });
    const over = await expectProblem(() => t.core.payments.refund(p.id, '7.01'), 'refund-exceeds-remaining');
    expect(over.extras.refundable).toBe('7.00');
    expect(await t.core.payments.get(p.id)).toMatchObject({ status: 'partially_refunded', refundedAmount: '3.00' });
    const full = await t.core.payments.refund(p.id, undefined);
    expect(full).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    const events = await t.core.events.after(after, 100);
    expect(events.map((e) => e.type)).toEqual(['payment.refunded', 'payment.refunded']);
    expect(events[0]!.data).toEqual(partial);
    expect(events[1]!.data).toEqual(full);
    expect((await expectProblem(() => t.core.payments.refund(p.id, '0.01'), 'payment-not-refundable')).extras.paymentStatus).toBe('refunded');
  });

  it('a full refund in one go; the exact rest in a second step', async () => {
    expect(await t.core.payments.refund((await paid('10')).id, null)).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
    const p = await paid('10');
    await t.core.payments.refund(p.id, '9.99');
    expect(await t.core.payments.refund(p.id, '0.01')).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
  });

  it('more than the payment is refused; invalid amounts are validation errors', async () => {
    const p = await paid('10');
    await expectProblem(() => t.core.payments.refund(p.id, '10.01'), 'refund-exceeds-remaining');
    expect(await errorPaths(() => t.core.payments.refund(p.id, '0'))).toEqual(['amount']);
    expect(await errorPaths(() => t.core.payments.refund(p.id, '1.001'))).toEqual(['amount']);
    expect(await t.core.payments.get(p.id)).toMatchObject({ status: 'succeeded', refundedAmount: '0.00' });
  });

  it('only succeeded or partially refunded payments can be refunded', async () => {
    const link = await create({ amount: '5', reuse: 'multiple' });
    const pending = await start(link.id);
    expect((await expectProblem(() => t.core.payments.refund(pending.id, undefined), 'payment-not-refundable')).extras.paymentStatus).toBe('pending');
    const failed = await t.core.payments.complete((await start(link.id)).id, 'failed');
    await expectProblem(() => t.core.payments.refund(failed.id, undefined), 'payment-not-refundable');
    await expectProblem(() => t.core.payments.refund('pay_nope', undefined), 'not-found');
  });
});

describe('listing payments', () => {
  it('newest first, filtered by link and status, paged with a cursor', async () => {
    const a = await create({ amount: '1', reuse: 'multiple' });
    const b = await create({ amount: '1', reuse: 'multiple' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      const p = await start(i % 2 === 0 ? a.id : b.id);
      ids.push(p.id);
      if (i < 3) await succeed(p.id);
    }
    const all = (await t.core.payments.list({}, { limit: 50 })).data.map((p) => p.id);
    expect(all).toEqual([...ids].reverse());
    expect((await t.core.payments.list({ linkId: a.id }, { limit: 50 })).data.map((p) => p.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect((await t.core.payments.list({ status: 'pending' }, { limit: 50 })).data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    const page1 = await t.core.payments.list({}, { limit: 2 });
    expect(page1.data.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await t.core.payments.list({}, { limit: 2, cursor: page1.nextCursor! });
    expect(page2.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const page3 = await t.core.payments.list({}, { limit: 2, cursor: page2.nextCursor! });
    expect(page3).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });
});
