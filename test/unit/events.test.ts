import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../core/index';
import { ManualClock } from '../../core/clock';
import { eventTypes, expectProblem, makeCore, BASE_URL, START, type TestCore } from './helpers';

describe('the event log', () => {
  let t: TestCore;
  beforeEach(() => {
    t = makeCore();
  });
  afterEach(() => t.core.close());

  it('ids only grow, and after() pages oldest first', () => {
    const link = t.core.links.create({ name: 'n', amount: '1', reuse: 'multiple' });
    for (let i = 0; i < 10; i++) {
      const p = t.core.payments.start(link.id, {}).payment;
      t.core.payments.complete(p.id, i % 2 ? 'failed' : 'succeeded');
    }
    const all = t.core.events.after(0, 1000);
    expect(all.length).toBeGreaterThanOrEqual(21);
    for (let i = 1; i < all.length; i++) expect(all[i]!.id).toBeGreaterThan(all[i - 1]!.id);
    expect(t.core.events.lastId()).toBe(all[all.length - 1]!.id);

    const page = t.core.events.after(all[4]!.id, 3);
    expect(page.map((e) => e.id)).toEqual([all[5]!.id, all[6]!.id, all[7]!.id]);
    expect(t.core.events.after(t.core.events.lastId(), 10)).toEqual([]);
  });

  it('events carry type, ISO time and the data', () => {
    t.clock.advance(1234);
    const link = t.core.links.create({ name: 'n' });
    const [event] = t.core.events.after(0, 1000).filter((e) => e.type === 'link.created');
    expect(event).toEqual({ id: expect.any(Number), type: 'link.created', createdAt: new Date(Date.parse(START) + 1234).toISOString(), data: link });
  });

  it('a refused change appends nothing (the event is in the same transaction)', () => {
    const link = t.core.links.create({ name: 'n', amount: '1' });
    t.core.payments.start(link.id, {});
    const before = t.core.events.lastId();
    expectProblem(() => t.core.payments.start(link.id, {}), 'link-locked');
    expectProblem(() => t.core.links.create({ name: 'n', refIdBase: link.refIdBase }), 'ref-id-conflict');
    expectProblem(() => t.core.links.update(link.id, { amount: '2' }), 'link-has-payments');
    expect(t.core.events.lastId()).toBe(before);
    // and the ids go on from there
    t.core.links.update(link.id, { name: 'renamed' });
    const next = t.core.events.after(before, 10);
    expect(next.map((e) => e.type)).toEqual(['link.updated']);
    expect(next[0]!.id).toBeGreaterThan(before);
  });

  it('an event rolled back with its transaction is never seen', () => {
    const before = t.core.events.lastId();
    expect(() =>
      t.core.store.tx(() => {
        t.core.events.append('test.rolled_back', { x: 1 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t.core.events.lastId()).toBe(before);
    expect(eventTypes(t.core)).not.toContain('test.rolled_back');
  });

  it('listeners are told after the change, once for a burst of appends', async () => {
    let calls = 0;
    const off = t.core.events.onAppended(() => {
      calls += 1;
    });
    t.core.links.create({ name: 'a' });
    t.core.links.create({ name: 'b' });
    expect(calls).toBe(0); // not synchronously, inside the transaction
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
    off();
    t.core.links.create({ name: 'c' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
  });
});

describe('events survive a restart', () => {
  it('ids keep growing in the same database file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'counterlink-events-'));
    try {
      const file = join(dir, 'counterlink.db');
      const clock = new ManualClock(START);
      const first = createCore({ databaseFile: file, clock, baseUrl: BASE_URL });
      first.links.create({ name: 'before restart' });
      const lastBefore = first.events.lastId();
      const eventsBefore = first.events.after(0, 1000);
      first.close();

      const second = createCore({ databaseFile: file, clock, baseUrl: BASE_URL });
      try {
        expect(second.events.after(0, 1000)).toEqual(eventsBefore);
        // the default point of sale is not created twice
        expect(second.pointsOfSale.list()).toHaveLength(1);
        second.links.create({ name: 'after restart' });
        const after = second.events.after(lastBefore, 10);
        expect(after.length).toBeGreaterThan(0);
        for (const e of after) expect(e.id).toBeGreaterThan(lastBefore);
      } finally {
        second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
