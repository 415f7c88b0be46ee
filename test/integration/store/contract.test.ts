/**
 * The store contract: every repository query and every conditional update that guards money,
 * run against both adapters (SQLite, and PostgreSQL when the run has one), with the concurrency
 * cases that make the guards matter. A rule that holds here holds for every service above.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../core/store/sqlite/adapter';
import { openPostgres } from '../../../core/store/postgres/adapter';
import type { Store, Tx } from '../../../core/store/port';
import type { PaymentRecord } from '../../../core/payments/types';
import { NewerDatabaseError } from '../../../core/store/migrations';
import { freshDatabase, testPostgresUrl } from '../../support/postgres';
import { storeRows } from '../../support/raw-db';
import { RECORD_NOW as NOW, linkRecord } from '../../support/records';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const pgServer = testPostgresUrl();

interface Adapter {
  name: string;
  /** Opens a new, empty store; `again` reopens the same database. */
  open(): Promise<{ store: Store; again: () => Promise<Store> }>;
}

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'counterlink-contract-'));
      dirs.push(dir);
      const file = join(dir, 'store.sqlite');
      return { store: openSqlite({ file }), again: async () => openSqlite({ file }) };
    },
  },
  ...(pgServer
    ? [
        {
          name: 'postgres',
          async open() {
            const url = await freshDatabase(pgServer, 'contract');
            return { store: await openPostgres({ url }), again: () => openPostgres({ url }) };
          },
        },
      ]
    : []),
];




function paymentRecord(id: string, linkId: string, over: Partial<PaymentRecord> = {}): Omit<PaymentRecord, 'seq'> {
  return {
    id,
    linkId,
    refId: `R-${id}`,
    status: 'pending',
    amount: 1250,
    tipAmount: 0,
    currency: 'EUR',
    method: 'simulator',
    reference: null,
    payerName: null,
    payerEmail: null,
    metadata: {},
    refundedAmount: 0,
    lockExpiresAt: NOW + 900_000,
    livemode: false,
    providerReference: null,
    createdAt: NOW,
    updatedAt: NOW,
    completedAt: null,
    ...over,
  };
}

async function seedPos(store: Store): Promise<void> {
  await store.tx((t) => t.pointsOfSale.insert({ id: 'pos_main', name: 'Main', currency: 'EUR', isDefault: true, methods: null, createdAt: NOW, updatedAt: NOW }));
}

/** Runs `n` transactions at once (really at once on PostgreSQL; queued on SQLite). */
function parallel<T>(n: number, fn: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: n }, (_v, i) => fn(i)));
}

const wins = (results: PromiseSettledResult<boolean>[]) => results.filter((r) => r.status === 'fulfilled' && r.value).length;

describe.each(adapters)('store contract on $name', (adapter) => {
  let store: Store;
  let again: () => Promise<Store>;

  beforeEach(async () => {
    ({ store, again } = await adapter.open());
    await seedPos(store);
  });
  afterEach(async () => store.close());

  describe('transactions', () => {
    it('commits all changes and events together, or none', async () => {
      await store.tx(async (t) => {
        await t.settings.set('a', { x: 1 });
        t.events.append('test.one', NOW, { n: 1 });
      });
      await expect(
        store.tx(async (t) => {
          await t.settings.set('b', { x: 2 });
          t.events.append('test.two', NOW, { n: 2 });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const seen = await store.read(async (t) => ({ a: await t.settings.get('a'), b: await t.settings.get('b'), events: await t.eventLog.after(0, 10) }));
      expect(seen.a).toEqual({ x: 1 });
      expect(seen.b).toBeUndefined();
      expect(seen.events.map((e) => e.type)).toEqual(['test.one']);
      expect(seen.events[0]!.data).toEqual({ n: 1 });
    });

    it('refuses a transaction opened inside another (pass the Tx down instead)', async () => {
      await expect(store.tx(async () => store.tx(async () => 1))).rejects.toThrow(/inside a transaction/);
      await expect(store.tx(async () => store.read(async () => 1))).rejects.toThrow(/inside a transaction/);
    });

    it('runs after-commit hooks only after a commit, and tells event listeners', async () => {
      const heard: string[] = [];
      const off = store.onEventsCommitted(() => heard.push('events'));
      await store.tx(async (t) => {
        t.afterCommit(() => heard.push('hook'));
        t.events.append('test.x', NOW, {});
        expect(heard).toEqual([]);
      });
      await expect(
        store.tx(async (t) => {
          t.afterCommit(() => heard.push('never'));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await new Promise((r) => setTimeout(r, 50));
      off();
      expect(heard).toContain('hook');
      expect(heard).toContain('events');
      expect(heard).not.toContain('never');
    });

    it('keeps event ids in commit order under concurrent writers, so a resuming reader misses none', async () => {
      const seen: number[] = [];
      let cursor = 0;
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const batch = await store.read((t) => t.eventLog.after(cursor, 1000));
          for (const e of batch) {
            seen.push(e.id);
            cursor = e.id;
          }
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      await parallel(40, (i) =>
        store.tx(async (t) => {
          t.events.append('test.concurrent', NOW, { i });
          // Work after the append and before the commit: a slow transaction must not let a later
          // one publish a larger id first.
          await t.settings.set(`k${i % 5}`, i);
          if (i % 3 === 0) await new Promise((r) => setTimeout(r, 5));
          t.events.append('test.concurrent', NOW, { i, second: true });
        }),
      );
      writing = false;
      await reader;
      const rest = await store.read((t) => t.eventLog.after(cursor, 1000));
      seen.push(...rest.map((e) => e.id));
      const all = (await store.read((t) => t.eventLog.after(0, 1000))).map((e) => e.id);
      expect(all).toHaveLength(80);
      expect(seen).toEqual(all);
      expect([...all].sort((a, b) => a - b)).toEqual(all);
      // Each transaction's two events are adjacent: one commit, one block of ids.
      const events = await store.read((t) => t.eventLog.after(0, 1000));
      for (let k = 0; k < events.length; k += 2) expect((events[k]!.data as { i: number }).i).toBe((events[k + 1]!.data as { i: number }).i);
    });

    it('serialises transactions that take the same named lock', async () => {
      const order: string[] = [];
      await Promise.all([
        store.tx(async (t) => {
          await t.lock('one');
          order.push('a-in');
          await new Promise((r) => setTimeout(r, 40));
          order.push('a-out');
        }),
        (async () => {
          await new Promise((r) => setTimeout(r, 10));
          await store.tx(async (t) => {
            await t.lock('one');
            order.push('b-in');
          });
        })(),
      ]);
      expect(order).toEqual(['a-in', 'a-out', 'b-in']);
    });
  });

  describe('migrations', () => {
    it('are applied once: reopening finds the schema and the data', async () => {
      await store.tx((t) => t.settings.set('kept', 1));
      await store.close();
      store = await again();
      expect(await store.read((t) => t.settings.get('kept'))).toBe(1);
    });
  });

  describe('settings', () => {
    it('stores JSON values per key and overwrites them', async () => {
      await store.tx((t) => t.settings.set('merchant', { merchantName: 'Café Ü', n: 1 }));
      await store.tx((t) => t.settings.set('merchant', { merchantName: 'Café Ü', n: 2 }));
      expect(await store.read((t) => t.settings.get('merchant'))).toEqual({ merchantName: 'Café Ü', n: 2 });
      expect(await store.read((t) => t.settings.get('missing'))).toBeUndefined();
    });

    it('read-modify-write under the settings lock loses no update', async () => {
      await store.tx((t) => t.settings.set('counter', 0));
      await parallel(20, () =>
        store.tx(async (t) => {
          await t.lock('settings');
          const n = (await t.settings.get<number>('counter'))!;
          await t.settings.set('counter', n + 1);
        }),
      );
      expect(await store.read((t) => t.settings.get('counter'))).toBe(20);
    });
  });

  describe('points of sale', () => {
    it('inserts, lists, finds the default and moves it', async () => {
      await store.tx(async (t) => {
        await t.pointsOfSale.insert({ id: 'pos_b', name: 'Bar', currency: 'CHF', isDefault: false, methods: ['sepa_transfer'], createdAt: NOW, updatedAt: NOW });
      });
      expect((await store.read((t) => t.pointsOfSale.default()))!.id).toBe('pos_main');
      await store.tx(async (t) => {
        await t.pointsOfSale.clearDefault();
        const b = (await t.pointsOfSale.get('pos_b'))!;
        await t.pointsOfSale.update({ ...b, isDefault: true, name: 'Bar 2' });
      });
      const list = await store.read((t) => t.pointsOfSale.list());
      expect(list.map((p) => [p.id, p.name, p.isDefault])).toEqual([
        ['pos_main', 'Main', false],
        ['pos_b', 'Bar 2', true],
      ]);
      expect(list.map((p) => p.methods)).toEqual([null, ['sepa_transfer']]);
    });
  });

  describe('links', () => {
    it('round-trips every field', async () => {
      const rec = linkRecord('pl_a', { metadata: { a: 'ü' }, lineItems: [{ name: 'Tea', quantity: 2, unitAmount: 350 }], expiresAt: NOW + 60_000, amount: 99_999_999_999 });
      await store.tx((t) => t.links.insert(rec));
      const got = (await store.read((t) => t.links.get('pl_a')))!;
      expect(got).toMatchObject({ ...rec, lockedUntil: null });
      expect(typeof got.seq).toBe('number');
      expect(got.amount).toBe(99_999_999_999);
    });

    it('lets exactly one of many parallel starts reserve a single-use link', async () => {
      await store.tx((t) => t.links.insert(linkRecord('pl_single')));
      const results = await parallel(25, () => store.tx((t) => t.links.reserve('pl_single', 1250, NOW)));
      expect(wins(results as PromiseSettledResult<boolean>[])).toBe(1);
      const link = (await store.read((t) => t.links.get('pl_single')))!;
      expect(link.pendingCount).toBe(1);
      expect(link.pendingAmount).toBe(1250);
    });

    it('holds maxUses and totalAmountLimit against parallel starts', async () => {
      await store.tx(async (t) => {
        await t.links.insert(linkRecord('pl_max', { reuse: 'multiple', maxUses: 3 }));
        await t.links.insert(linkRecord('pl_total', { reuse: 'multiple', amount: null, totalAmountLimit: 1000, refIdBase: 'TOTAL' }));
      });
      expect(wins((await parallel(20, () => store.tx((t) => t.links.reserve('pl_max', 1250, NOW)))) as PromiseSettledResult<boolean>[])).toBe(3);
      expect(wins((await parallel(20, () => store.tx((t) => t.links.reserve('pl_total', 300, NOW)))) as PromiseSettledResult<boolean>[])).toBe(3);
      const total = (await store.read((t) => t.links.get('pl_total')))!;
      expect(total.pendingAmount).toBe(900);
    });

    it('refuses to reserve a cancelled, disabled or expired link', async () => {
      await store.tx(async (t) => {
        await t.links.insert(linkRecord('pl_c', { refIdBase: 'C1' }));
        await t.links.insert(linkRecord('pl_d', { refIdBase: 'D1', enabled: false }));
        await t.links.insert(linkRecord('pl_e', { refIdBase: 'E1', expiresAt: NOW - 1 }));
        expect(await t.links.cancel('pl_c', NOW)).toBe(true);
        expect(await t.links.cancel('pl_c', NOW)).toBe(false);
      });
      for (const id of ['pl_c', 'pl_d', 'pl_e']) expect(await store.tx((t) => t.links.reserve(id, 1250, NOW))).toBe(false);
    });

    it('settles what a payment held and counts success as use', async () => {
      await store.tx(async (t) => {
        await t.links.insert(linkRecord('pl_s', { reuse: 'multiple' }));
        await t.links.reserve('pl_s', 500, NOW);
        await t.links.reserve('pl_s', 700, NOW);
        await t.links.settle('pl_s', 500, true, NOW);
        await t.links.settle('pl_s', 700, false, NOW);
      });
      const l = (await store.read((t) => t.links.get('pl_s')))!;
      expect([l.pendingCount, l.pendingAmount, l.usedCount, l.usedAmount, l.paymentCount, l.nextRefSeq]).toEqual([0, 0, 1, 500, 2, 3]);
    });

    it('lists newest first with filters, status in SQL, case-insensitive search and cursors', async () => {
      await store.tx(async (t) => {
        for (let i = 0; i < 5; i++) await t.links.insert(linkRecord(`pl_${i}`, { name: i === 3 ? 'Table Four' : `Link ${i}`, refIdBase: `L${i}`, createdAt: NOW + i }));
        await t.links.cancel('pl_1', NOW);
      });
      const page1 = await store.read((t) => t.links.list({ now: NOW }, { limit: 2 }));
      expect(page1.data.map((l) => l.id)).toEqual(['pl_4', 'pl_3']);
      const page2 = await store.read((t) => t.links.list({ now: NOW }, { limit: 2, cursor: page1.nextCursor! }));
      expect(page2.data.map((l) => l.id)).toEqual(['pl_2', 'pl_1']);
      expect((await store.read((t) => t.links.list({ now: NOW, status: 'cancelled' }, { limit: 10 }))).data.map((l) => l.id)).toEqual(['pl_1']);
      expect((await store.read((t) => t.links.list({ now: NOW, q: 'table f' }, { limit: 10 }))).data.map((l) => l.id)).toEqual(['pl_3']);
      expect((await store.read((t) => t.links.list({ now: NOW, q: '100%_' }, { limit: 10 }))).data).toEqual([]);
      expect((await store.read((t) => t.links.list({ now: NOW, createdAfter: NOW + 2 }, { limit: 10 }))).data.map((l) => l.id)).toEqual(['pl_4', 'pl_3']);
      await expect(store.read((t) => t.links.list({ now: NOW }, { limit: 2, cursor: 'bogus' }))).rejects.toThrow();
    });

    it('finds links due for expiry once', async () => {
      await store.tx((t) => t.links.insert(linkRecord('pl_x', { expiresAt: NOW - 10 })));
      await store.tx((t) => t.links.insert(linkRecord('pl_later', { expiresAt: NOW + 50, refIdBase: 'LATER' })));
      await store.tx((t) => t.links.insert(linkRecord('pl_cancelled', { expiresAt: NOW - 20, cancelledAt: NOW - 30, refIdBase: 'CANCELLED' })));
      expect((await store.read((t) => t.links.dueForExpiry(NOW))).map((l) => l.id)).toEqual(['pl_x']);
      // The sweeper's horizon: the next expiry still to note, a cancelled link's not counted.
      expect(await store.read((t) => t.links.nextExpiry())).toBe(NOW - 10);
      const noted = await parallel(5, () => store.tx((t) => t.links.noteExpired('pl_x', NOW)));
      expect(wins(noted as PromiseSettledResult<boolean>[])).toBe(1);
      expect(await store.read((t) => t.links.dueForExpiry(NOW))).toEqual([]);
      expect(await store.read((t) => t.links.nextExpiry())).toBe(NOW + 50);
    });
  });

  describe('payments', () => {
    beforeEach(async () => {
      await store.tx(async (t) => {
        await t.links.insert(linkRecord('pl_p', { reuse: 'multiple' }));
        await t.payments.insert(paymentRecord('pay_1', 'pl_p', { metadata: { k: 'v' } }));
      });
    });

    it('round-trips a payment and shows the lock deadline on its single-use link', async () => {
      expect(await store.read((t) => t.payments.get('pay_1'))).toMatchObject({ ...paymentRecord('pay_1', 'pl_p', { metadata: { k: 'v' } }) });
      await store.tx(async (t) => {
        await t.links.insert(linkRecord('pl_lock', { refIdBase: 'LOCK' }));
        await t.links.reserve('pl_lock', 1250, NOW);
        await t.payments.insert(paymentRecord('pay_lock', 'pl_lock', { lockExpiresAt: NOW + 5000 }));
      });
      expect((await store.read((t) => t.links.get('pl_lock')))!.lockedUntil).toBe(NOW + 5000);
    });

    it('ends a pending payment exactly once, whoever races', async () => {
      const outcomes = ['succeeded', 'failed', 'abandoned', 'cancelled'] as const;
      const results = await parallel(12, (i) => store.tx((t) => t.payments.finish('pay_1', outcomes[i % 4]!, NOW)));
      expect(wins(results as PromiseSettledResult<boolean>[])).toBe(1);
    });

    it('never refunds more than was paid, however many refunds race', async () => {
      await store.tx((t) => t.payments.finish('pay_1', 'succeeded', NOW));
      const results = await parallel(10, () => store.tx((t) => t.payments.refund('pay_1', 300, NOW)));
      expect(wins(results as PromiseSettledResult<boolean>[])).toBe(4);
      const p = (await store.read((t) => t.payments.get('pay_1')))!;
      expect([p.refundedAmount, p.status]).toEqual([1200, 'partially_refunded']);
      expect(await store.tx((t) => t.payments.refund('pay_1', 50, NOW))).toBe(true);
      expect((await store.read((t) => t.payments.get('pay_1')))!.status).toBe('refunded');
      expect(await store.tx((t) => t.payments.refund('pay_1', 1, NOW))).toBe(false);
    });

    it('finds lapsed and pending payments and lists with filters', async () => {
      await store.tx((t) => t.payments.insert(paymentRecord('pay_2', 'pl_p', { lockExpiresAt: NOW - 1, createdAt: NOW + 1 })));
      expect((await store.read((t) => t.payments.lapsed(NOW))).map((p) => p.id)).toEqual(['pay_2']);
      expect(await store.read((t) => t.payments.nextLapse())).toBe(NOW - 1);
      expect((await store.read((t) => t.payments.pendingForLink('pl_p'))).map((p) => p.id)).toEqual(['pay_1', 'pay_2']);
      await store.tx((t) => t.payments.finish('pay_1', 'succeeded', NOW));
      expect((await store.read((t) => t.payments.list({ status: 'succeeded' }, { limit: 10 }))).data.map((p) => p.id)).toEqual(['pay_1']);
      expect((await store.read((t) => t.payments.list({ linkId: 'pl_p' }, { limit: 10 }))).data.map((p) => p.id)).toEqual(['pay_2', 'pay_1']);
    });
  });

  describe('ref ids and idempotency keys', () => {
    it('claims a refId once, however many try', async () => {
      const results = await parallel(10, () => store.tx((t) => t.refIds.claim('ORDER-1')));
      expect(wins(results as PromiseSettledResult<boolean>[])).toBe(1);
      expect(await store.read((t) => t.refIds.exists('ORDER-1'))).toBe(true);
      expect(await store.read((t) => t.refIds.exists('ORDER-2'))).toBe(false);
    });

    it('keeps, replaces and purges idempotency keys', async () => {
      await store.tx((t) => t.idempotency.put('s', 'k', 'h1', 201, '{"a":1}', NOW));
      expect(await store.read((t) => t.idempotency.get('s', 'k'))).toEqual({ requestHash: 'h1', statusCode: 201, body: '{"a":1}', createdAt: NOW });
      await store.tx((t) => t.idempotency.put('s', 'k', 'h2', 200, '{}', NOW + 5));
      expect((await store.read((t) => t.idempotency.get('s', 'k')))!.requestHash).toBe('h2');
      expect(await store.tx((t) => t.idempotency.purgeOlderThan(NOW + 10))).toBe(1);
      expect(await store.read((t) => t.idempotency.get('s', 'k'))).toBeUndefined();
    });
  });

  describe('outbox', () => {
    const insert = (t: Tx, id: string, queue = id, ordered = false, at = NOW) =>
      t.outbox.insert({ id, kind: 'webhook', queue, ordered, payload: { id }, nextAttemptAt: at, createdAt: NOW });

    it('gives a due message to exactly one of many claiming workers', async () => {
      await store.tx((t) => insert(t, 'msg_1'));
      const results = await parallel(10, () => store.tx((t) => t.outbox.claim('msg_1', NOW, NOW + 60_000)));
      expect(wins(results as PromiseSettledResult<boolean>[])).toBe(1);
      const m = (await store.read((t) => t.outbox.get('msg_1')))!;
      expect([m.status, m.attempts, m.leaseUntil]).toEqual(['sending', 1, NOW + 60_000]);
      // A lapsed lease (the worker died) makes it due again.
      expect((await store.read((t) => t.outbox.due('webhook', NOW + 60_000, 10))).map((x) => x.id)).toEqual(['msg_1']);
    });

    it('keeps an ordered queue in order and records attempts', async () => {
      await store.tx(async (t) => {
        await insert(t, 'a', 'ep', true);
        await insert(t, 'b', 'ep', true);
        await insert(t, 'c', 'other', false, NOW + 100);
      });
      expect((await store.read((t) => t.outbox.due('webhook', NOW, 10))).map((m) => m.id)).toEqual(['a']);
      expect(await store.read((t) => t.outbox.nextDueAt('webhook'))).toBe(NOW);
      expect(await store.read((t) => t.outbox.countUnfinished('webhook'))).toBe(3);
      await store.tx(async (t) => {
        expect(await t.outbox.claim('a', NOW, NOW + 1000)).toBe(true);
        await t.outbox.recordAttempt({ messageId: 'a', attempt: 1, startedAt: NOW, durationMs: 12, ok: true, statusCode: 200, error: null, responseSnippet: 'ok' });
        await t.outbox.settle('a', 'succeeded', NOW, null, null);
      });
      expect((await store.read((t) => t.outbox.due('webhook', NOW + 100, 10))).map((m) => m.id)).toEqual(['b', 'c']);
      expect(await store.read((t) => t.outbox.attempts('a'))).toEqual([
        { messageId: 'a', attempt: 1, startedAt: NOW, durationMs: 12, ok: true, statusCode: 200, error: null, responseSnippet: 'ok' },
      ]);
      expect(await store.tx((t) => t.outbox.requeue('a', NOW + 1))).toBe(true);
      expect((await store.read((t) => t.outbox.get('a')))!.status).toBe('queued');
    });
  });

  describe('sessions, API keys, displays and the event log', () => {
    it('looks up sessions by token hash and follows their API key', async () => {
      await store.tx(async (t) => {
        await t.apiKeys.insert({ id: 'key_1', name: 'K', keyHash: 'hash1', prefix: 'clk_abcd', role: 'admin', mode: 'live', createdAt: NOW });
        await t.sessions.insert({ id: 'ses_1', tokenHash: 'th', method: 'api_key', apiKeyId: 'key_1', staffUserId: null, createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + 1000 });
      });
      expect(await store.read((t) => t.apiKeys.count())).toBe(1);
      expect((await store.read((t) => t.apiKeys.byHash('hash1')))!.keyHash).toBe('hash1');
      expect((await store.read((t) => t.sessions.byTokenHash('th')))!.keyActive).toBe(true);
      expect(await store.tx((t) => t.sessions.purge(NOW + 1000, NOW - 1))).toBe(1);
      expect(await store.read((t) => t.sessions.byTokenHash('th'))).toBeUndefined();
    });

    it('keeps one display state per point of sale', async () => {
      await store.tx((t) => t.displays.put({ pointOfSaleId: 'pos_main', mode: 'result', linkId: 'pl_z', paymentId: 'pay_z', resultUntil: NOW, updatedAt: NOW }));
      await store.tx((t) => t.displays.put({ pointOfSaleId: 'pos_main', mode: 'result', linkId: 'pl_z', paymentId: 'pay_y', resultUntil: NOW, updatedAt: NOW + 1 }));
      expect((await store.read((t) => t.displays.showingLink('pl_z'))).map((d) => d.paymentId)).toEqual(['pay_y']);
      expect((await store.read((t) => t.displays.resultsDue(NOW))).length).toBe(1);
      expect(await store.read((t) => t.displays.nextResultEnd())).toBe(NOW);
      expect(await store.read((t) => t.displays.get('pos_none'))).toBeUndefined();
    });

    it('filters the event log by link, in either order', async () => {
      await store.tx(async (t) => {
        // The links exist, as they always do when events name them (events_link keys on their seq).
        await t.links.insert(linkRecord('pl_ev1', { refIdBase: 'EV1' }));
        await t.links.insert(linkRecord('pl_ev2', { refIdBase: 'EV2' }));
        t.events.append('link.created', NOW, { id: 'pl_ev1' });
        t.events.append('payment.created', NOW, { id: 'pay_1', linkId: 'pl_ev1' });
        t.events.append('link.created', NOW, { id: 'pl_ev2' });
        t.events.append('display.updated', NOW, { linkId: 'pl_ev1' });
      });
      const asc = await store.read((t) => t.eventLog.query({ linkId: 'pl_ev1', order: 'asc', limit: 10 }));
      expect(asc.map((e) => e.type)).toEqual(['link.created', 'payment.created', 'display.updated']);
      const desc = await store.read((t) => t.eventLog.query({ order: 'desc', limit: 2 }));
      expect(desc.map((e) => e.type)).toEqual(['display.updated', 'link.created']);
      expect(await store.read((t) => t.eventLog.lastId())).toBe(asc[2]!.id);
    });

    it("packs a link's later events against the first of their kind, and reads each back as it was appended", async () => {
      const linkAt = (count: number, status: string) => ({ id: 'pl_pk', name: 'Table 4', amount: '12.50', status, usage: { count, pendingCount: 1 - count }, updatedAt: `2026-01-15T10:0${count}:00.000Z` });
      const paymentAt = (status: string) => ({ id: 'pay_pk1', linkId: 'pl_pk', refId: 'PK1-0001', status, amount: '12.50', currency: 'EUR' });
      const appended: [string, unknown][] = [
        ['link.created', linkAt(0, 'enabled')],
        ['payment.created', paymentAt('pending')],
        ['link.locked', linkAt(0, 'locked')],
        ['payment.succeeded', paymentAt('succeeded')],
        ['link.consumed', linkAt(1, 'used')],
        ['point_of_sale.updated', { id: 'pos_main', name: 'Counter' }],
      ];
      await store.tx(async (t) => {
        await t.links.insert(linkRecord('pl_pk', { refIdBase: 'PK1' }));
        t.events.append(appended[0]![0], NOW, appended[0]![1]);
      });
      await store.tx(async (t) => appended.slice(1, 3).forEach(([type, data]) => t.events.append(type, NOW, data)));
      await store.tx(async (t) => appended.slice(3).forEach(([type, data]) => t.events.append(type, NOW, data)));

      const events = await store.read((t) => t.eventLog.after(0, 100));
      expect(events.map((e) => [e.type, e.data])).toEqual(appended);
      const rows = await storeRows<{ id: number; base_id: number | null }>(store, 'SELECT id, base_id FROM events ORDER BY id');
      const typeOf = new Map(events.map((e) => [e.id, e.type]));
      expect(rows.map((r) => (r.base_id === null ? null : typeOf.get(Number(r.base_id))))).toEqual([null, null, 'link.created', 'payment.created', 'link.created', null]);
      const newestOfLink = await store.read((t) => t.eventLog.query({ linkId: 'pl_pk', order: 'desc', limit: 2 }));
      expect(newestOfLink.map((e) => e.data)).toEqual([linkAt(1, 'used'), paymentAt('succeeded')]);
    });
  });
});

describe('a database written by a newer version', () => {
  it.each(adapters)('is refused on $name', async (adapter) => {
    const { store, again } = await adapter.open();
    if (store instanceof (await import('../../../core/store/sqlite/adapter')).SqliteStore) {
      store.db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', 0)`).run();
    } else {
      await (store as unknown as { pool: { query(sql: string): Promise<unknown> } }).pool.query(
        `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', 0)`,
      );
    }
    await store.close();
    await expect(again()).rejects.toBeInstanceOf(NewerDatabaseError);
  });
});
