import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeCore, LOCK_TTL_MS, type TestCore } from '../../support/core';

// Sweep before read is core's concern (CoreContext.fresh): none of these tests runs the sweeper,
// yet every answer already reflects what time alone has changed.
const RESULT_MS = 6_000;

let t: TestCore;
let posId: string;
beforeEach(async () => {
  t = await makeCore({ displayResultMs: RESULT_MS });
  posId = (await t.core.pointsOfSale.list()).find((p) => p.isDefault)!.id;
});
afterEach(() => t.core.close());

describe('reads that depend on time are fresh without a sweep by the caller', () => {
  it('the display: a result times out, an expired charge leaves it', async () => {
    const link = await t.core.charges.create({ amount: '9.90', expiresInMinutes: 30 });
    const p = (await t.core.payments.start(link.id, {})).payment;
    await t.core.payments.complete(p.id, 'failed');
    expect((await t.core.display.get(posId)).mode).toBe('result');
    t.clock.advance(RESULT_MS);
    expect(await t.core.display.get(posId)).toMatchObject({ mode: 'link', linkId: link.id });
    t.clock.advance(30 * 60_000);
    expect(await t.core.display.get(posId)).toMatchObject({ mode: 'idle', linkId: null });
    expect((await t.core.publicDisplay.state(posId)).mode).toBe('idle');
  });

  it('showing a link whose payment lapsed: the lock is gone first', async () => {
    const link = await t.core.links.create({ name: 'Table 4', amount: '20.00', currency: 'EUR', reuse: 'single' });
    await t.core.payments.start(link.id, {});
    t.clock.advance(LOCK_TTL_MS);
    expect(await t.core.display.show(link.id)).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null });
  });

  it('the day report does not count a payment time has abandoned as pending', async () => {
    const link = await t.core.charges.create({ amount: '4.00', expiresInMinutes: 60 });
    await t.core.payments.start(link.id, {});
    const today = await t.core.dayReports.today();
    expect((await t.core.dayReports.get(today, undefined, 'test')).pending).toEqual({ count: 1, amount: '4.00' });
    t.clock.advance(LOCK_TTL_MS);
    expect((await t.core.dayReports.get(today, undefined, 'test')).pending.count).toBe(0);
  });

  it('a creating operation without an Idempotency-Key runs after the sweep', async () => {
    const link = await t.core.charges.create({ amount: '7.00', expiresInMinutes: 60 });
    const paymentId = (await t.core.payments.start(link.id, {})).payment.id;
    t.clock.advance(LOCK_TTL_MS);
    const result = await t.core.idempotency.run('test', undefined, null, async (tx) => ({ statusCode: 201, body: (await tx.payments.get(paymentId))?.status }));
    expect(result).toEqual({ statusCode: 201, body: 'abandoned', replayed: false });
  });
});

describe('a fresh read is one read transaction when nothing is due', () => {
  it('the sweep check and the read share a snapshot: no second read, no write', async () => {
    const link = await t.core.links.create({ name: 'Table 4', amount: '20.00', currency: 'EUR', reuse: 'single' });
    const reads = vi.spyOn(t.core.store, 'read');
    const writes = vi.spyOn(t.core.store, 'tx');
    expect((await t.core.links.get(link.id)).id).toBe(link.id);
    expect((await t.core.links.list({}, { limit: 10 })).data.map((l) => l.id)).toEqual([link.id]);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(writes).not.toHaveBeenCalled();
  });

  it('with something due, it is swept first and the read sees the result', async () => {
    const link = await t.core.links.create({ name: 'Table 4', amount: '20.00', currency: 'EUR', reuse: 'single' });
    const p = (await t.core.payments.start(link.id, {})).payment;
    expect((await t.core.links.get(link.id)).usage.pendingCount).toBe(1);
    t.clock.advance(LOCK_TTL_MS);
    const writes = vi.spyOn(t.core.store, 'tx');
    expect((await t.core.links.get(link.id)).usage.pendingCount).toBe(0);
    expect(writes).toHaveBeenCalled();
    expect((await t.core.payments.get(p.id)).status).toBe('abandoned');
  });
});
