import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../../core/index';
import { ManualClock } from '../../../core/clock';
import { eventTypes, expectProblem, makeCore, BASE_URL, START, type TestCore } from '../../support/core';

describe('the event log', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await makeCore();
  });
  afterEach(() => t.core.close());

  it('ids only grow, and after() pages oldest first', async () => {
    const link = await t.core.links.create({ name: 'n', amount: '1', reuse: 'multiple' });
    for (let i = 0; i < 10; i++) {
      const p = (await t.core.payments.start(link.id, {})).payment;
      await t.core.payments.complete(p.id, i % 2 ? 'failed' : 'succeeded');
    }
    const all = await t.core.events.after(0, 1000);
    expect(all.length).toBeGreaterThanOrEqual(21);
    for (let i = 1; i < all.length; i++) expect(all[i]!.id).toBeGreaterThan(all[i - 1]!.id);
    expect(await t.core.events.lastId()).toBe(all[all.length - 1]!.id);

    const page = await t.core.events.after(all[4]!.id, 3);
    expect(page.map((e) => e.id)).toEqual([all[5]!.id, all[6]!.id, all[7]!.id]);
    expect(await t.core.events.after(await t.core.events.lastId(), 10)).toEqual([]);
  });

  it('events carry type, ISO time and the data', async () => {
    t.clock.advance(1234);
    const link = await t.core.links.create({ name: 'n' });
    const [event] = (await t.core.events.after(0, 1000)).filter((e) => e.type === 'link.created');
    expect(event).toEqual({ id: expect.any(Number), livemode: false, type: 'link.created', createdAt: new Date(Date.parse(START) + 1234).toISOString(), data: link });
  });

  it('a refused change appends nothing (the event is in the same transaction)', async () => {
    const link = await t.core.links.create({ name: 'n', amount: '1' });
    await t.core.payments.start(link.id, {});
    const before = await t.core.events.lastId();
    await expectProblem(() => t.core.payments.start(link.id, {}), 'link-locked');
    await expectProblem(() => t.core.links.create({ name: 'n', refIdBase: link.refIdBase }), 'ref-id-conflict');
    await expectProblem(() => t.core.links.update(link.id, { amount: '2' }), 'link-has-payments');
    expect(await t.core.events.lastId()).toBe(before);
    // and the ids go on from there
    await t.core.links.update(link.id, { name: 'renamed' });
    const next = await t.core.events.after(before, 10);
    expect(next.map((e) => e.type)).toEqual(['link.updated']);
    expect(next[0]!.id).toBeGreaterThan(before);
  });

  it('an event rolled back with its transaction is never seen', async () => {
    const before = await t.core.events.lastId();
    await expect(
      t.core.store.tx(async (tx) => {
        // @ts-expect-error not a catalogue type (core/event-catalogue.ts): only this test may write one
        t.core.events.append(tx, 'test.rolled_back', { x: 1 });
        await Promise.resolve();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.core.events.lastId()).toBe(before);
    expect(await eventTypes(t.core)).not.toContain('test.rolled_back');
  });

  it('listeners are told after the change, once for a burst of appends', async () => {
    let calls = 0;
    const off = t.core.events.onAppended(() => {
      calls += 1;
    });
    // Two creations at once: one burst (one group commit).
    await Promise.all([t.core.links.create({ name: 'a' }), t.core.links.create({ name: 'b' })]);
    expect(calls).toBe(0); // not synchronously, inside the transaction
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
    off();
    await t.core.links.create({ name: 'c' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
  });
});

describe('events survive a restart', () => {
  it('ids keep growing in the same database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterlink-events-'));
    try {
      const file = join(dir, 'counterlink.db');
      const clock = new ManualClock(START);
      const first = await createCore({ databaseFile: file, clock, baseUrl: BASE_URL });
      await first.links.create({ name: 'before restart' });
      const lastBefore = await first.events.lastId();
      const eventsBefore = await first.events.after(0, 1000);
      await first.close();

      const second = await createCore({ databaseFile: file, clock, baseUrl: BASE_URL });
      try {
        expect(await second.events.after(0, 1000)).toEqual(eventsBefore);
        // the default point of sale is not created twice
        expect(await second.pointsOfSale.list()).toHaveLength(1);
        await second.links.create({ name: 'after restart' });
        const after = await second.events.after(lastBefore, 10);
        expect(after.length).toBeGreaterThan(0);
        for (const e of after) expect(e.id).toBeGreaterThan(lastBefore);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
