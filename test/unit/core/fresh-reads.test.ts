import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rawDb } from '../../support/raw-db';
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

describe('the sweep check is skipped while nothing can have come due', () => {
  /** Spies on the due-work queries (the repositories are shared by every transaction of the store). */
  async function spyOnChecks() {
    const repos = await t.core.store.read(async (tx) => Object.getPrototypeOf(tx) as typeof tx);
    return vi.spyOn(repos.payments, 'lapsed');
  }

  it('reads after a check that found nothing due ask nothing more until something is written', async () => {
    const link = await t.core.links.create({ name: 'Table 4', amount: '20.00', currency: 'EUR', reuse: 'single' });
    await t.core.links.get(link.id);
    const checks = await spyOnChecks();
    for (let i = 0; i < 5; i++) await t.core.links.get(link.id);
    expect(checks).not.toHaveBeenCalled();
    await t.core.links.update(link.id, { name: 'Table 5' });
    expect((await t.core.links.get(link.id)).name).toBe('Table 5');
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('checks again when the next lock lapses, with nothing written in between', async () => {
    const link = await t.core.links.create({ name: 'Table 4', amount: '20.00', currency: 'EUR', reuse: 'single' });
    const p = (await t.core.payments.start(link.id, {})).payment;
    expect((await t.core.links.get(link.id)).usage.pendingCount).toBe(1);
    const checks = await spyOnChecks();
    t.clock.advance(LOCK_TTL_MS - 1);
    expect((await t.core.links.get(link.id)).usage.pendingCount).toBe(1);
    expect(checks).not.toHaveBeenCalled();
    t.clock.advance(1);
    expect((await t.core.links.get(link.id)).usage.pendingCount).toBe(0);
    expect((await t.core.payments.get(p.id)).status).toBe('abandoned');
  });

  it('checks again after a row is changed outside the store, on its connection or by another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterlink-quiet-'));
    try {
      const file = join(dir, 'shop.sqlite');
      const other = await makeCore({ databaseFile: file });
      const link = await other.core.links.create({ name: 'Table 4', amount: '20.00', currency: 'EUR', reuse: 'single' });
      const p = (await other.core.payments.start(link.id, {})).payment;
      await other.core.links.get(link.id); // quiet until the lock lapses, LOCK_TTL_MS from now
      // Another connection moves the lock into the past: the next read must see it abandoned.
      const db = new Database(file);
      db.prepare('UPDATE payments SET lock_expires_at = 0 WHERE id = ?').run(p.id);
      db.close();
      expect((await other.core.links.get(link.id)).usage.pendingCount).toBe(0);
      expect((await other.core.payments.get(p.id)).status).toBe('abandoned');
      // The same through the store's own connection, outside its transactions.
      const q = (await other.core.payments.start(link.id, {})).payment;
      await other.core.links.get(link.id);
      rawDb(other.core).prepare('UPDATE payments SET lock_expires_at = 0 WHERE id = ?').run(q.id);
      expect((await other.core.payments.get(q.id)).status).toBe('abandoned');
      await other.core.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
