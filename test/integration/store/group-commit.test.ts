/**
 * SQLite group commit (core/store/sqlite/adapter.ts): write transactions that wait together share
 * one COMMIT (one fsync), each in its own savepoint, after a turn of the event loop that lets the
 * requests which came in with them reach their writes. What must hold: a failing member is undone
 * alone, nobody is acknowledged before the COMMIT, a failed COMMIT fails every member, the async
 * context of each member is its own (so a member cannot open a transaction inside another), and a
 * read asked for while writes wait goes first and reads only what was committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_GROUP, openSqlite, type SqliteStore } from '../../../core/store/sqlite/adapter';

const NOW = 1_768_471_200_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Counts the statements the adapter sends through `db.exec` (BEGIN, SAVEPOINT, COMMIT…). */
function countExecs(store: SqliteStore): Map<string, number> {
  const counts = new Map<string, number>();
  const exec = store.db.exec.bind(store.db);
  store.db.exec = (sql: string) => {
    const word = sql.split(' ')[0]!;
    counts.set(word, (counts.get(word) ?? 0) + 1);
    return exec(sql);
  };
  return counts;
}

describe('SQLite group commit', () => {
  let store: SqliteStore;
  let file: string;

  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'counterlink-group-'));
    dirs.push(dir);
    file = join(dir, 'store.sqlite');
    store = openSqlite({ file });
  });
  afterEach(async () => store.close());

  it('writes that wait together share one COMMIT, and every one of them is on disk after', async () => {
    const counts = countExecs(store);
    const n = 40;
    await Promise.all(
      Array.from({ length: n }, (_v, i) =>
        store.tx(async (t) => {
          await t.settings.set(`k${i}`, { i });
          t.events.append('test.member', NOW, { i });
        }),
      ),
    );
    // Asked for in one turn of the event loop: they all share one COMMIT.
    expect(counts.get('COMMIT')).toBe(1);
    expect(counts.get('SAVEPOINT')).toBe(n);
    await store.close();
    store = openSqlite({ file });
    const seen = await store.read(async (t) => ({
      values: await Promise.all(Array.from({ length: n }, (_v, i) => t.settings.get(`k${i}`))),
      events: await t.eventLog.after(0, 1000),
    }));
    expect(seen.values).toEqual(Array.from({ length: n }, (_v, i) => ({ i })));
    // Events in the order the transactions were asked for, ids without gaps.
    expect(seen.events.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: n }, (_v, i) => i));
    expect(seen.events.map((e) => e.id)).toEqual(Array.from({ length: n }, (_v, i) => i + 1));
  });

  it('undoes a failing member alone: its rows and events are gone, its neighbours commit', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 9 }, (_v, i) =>
        store.tx(async (t) => {
          await t.settings.set(`k${i}`, { i });
          t.events.append('test.member', NOW, { i });
          if (i % 3 === 1) throw new Error(`member ${i} refused`);
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[4] as PromiseRejectedResult).reason).toEqual(new Error('member 4 refused'));
    const seen = await store.read(async (t) => ({
      values: await Promise.all(Array.from({ length: 9 }, (_v, i) => t.settings.get(`k${i}`))),
      events: await t.eventLog.after(0, 100),
    }));
    expect(seen.values).toEqual(Array.from({ length: 9 }, (_v, i) => (i % 3 === 1 ? undefined : { i })));
    expect(seen.events.map((e) => (e.data as { i: number }).i)).toEqual([0, 2, 3, 5, 6, 8]);
  });

  it('acknowledges nobody before the COMMIT, and fails every member when the COMMIT fails', async () => {
    await store.tx(async (t) => t.settings.set('first', { ok: true }));
    const settled: string[] = [];
    const hooks: string[] = [];
    // Asked for together, so they form one group; its COMMIT is made to fail.
    const group = Array.from({ length: 5 }, (_v, i) =>
      store
        .tx(async (t) => {
          await t.settings.set(`g${i}`, { i });
          t.afterCommit(() => hooks.push(`g${i}`));
          return i;
        })
        .then(
          () => settled.push(`ok ${i}`),
          (err: Error) => settled.push(`failed ${i}: ${err.message}`),
        ),
    );
    const exec = store.db.exec.bind(store.db);
    store.db.exec = (sql: string) => {
      if (sql === 'COMMIT') {
        store.db.exec = exec;
        throw new Error('disk I/O error');
      }
      return exec(sql);
    };
    await Promise.all(group);
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toEqual(Array.from({ length: 5 }, (_v, i) => `failed ${i}: disk I/O error`));
    expect(hooks).toEqual([]);
    const after = await store.read(async (t) => Promise.all(['first', ...Array.from({ length: 5 }, (_v, i) => `g${i}`)].map((k) => t.settings.get(k))));
    expect(after).toEqual([{ ok: true }, undefined, undefined, undefined, undefined, undefined]);
    // The store goes on working.
    await store.tx(async (t) => t.settings.set('later', { ok: true }));
    expect(await store.read((t) => t.settings.get('later'))).toEqual({ ok: true });
  });

  it('keeps each member in its own context: a transaction inside a member is still refused, others are not affected', async () => {
    const results = await Promise.allSettled([
      store.tx(async (t) => t.settings.set('a', { ok: true })),
      store.tx(async () => store.tx(async () => 1)),
      store.tx(async (t) => t.settings.set('b', { ok: true })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/inside a transaction/);
    expect(await store.read(async (t) => [await t.settings.get('a'), await t.settings.get('b')])).toEqual([{ ok: true }, { ok: true }]);
  });

  it('caps a group at MAX_GROUP members; a read asked for while they wait goes first and sees none of them', async () => {
    const counts = countExecs(store);
    const writes = Array.from({ length: MAX_GROUP * 2 + 3 }, (_v, i) => store.tx(async (t) => t.settings.set(`w${i}`, { i })));
    const read = store.read(async (t) => t.settings.get('w0'));
    expect(await read).toBeUndefined();
    await Promise.all(writes);
    expect(await store.read(async (t) => t.settings.get('w0'))).toEqual({ i: 0 });
    // The read's own (read-only) COMMIT, 2 full groups and 1 of 3, the last read's COMMIT.
    expect(counts.get('COMMIT')).toBe(5);
    expect(counts.get('SAVEPOINT')).toBe(MAX_GROUP * 2 + 3);
  });

  it('lets requests that arrive together read first and share one COMMIT for their writes', async () => {
    // Each "request" reads, then writes what it read plus one: the shape of an API call (its key
    // and settings read, then its change). Ten at once must not commit ten times.
    const counts = countExecs(store);
    const request = async (i: number) => {
      const seen = await store.read(async (t) => t.settings.get(`r${i}`));
      await new Promise<void>((r) => queueMicrotask(r));
      return store.tx(async (t) => t.settings.set(`r${i}`, { seen: seen ?? null, i }));
    };
    await Promise.all(Array.from({ length: 10 }, (_v, i) => request(i)));
    const beginImmediate = counts.get('BEGIN') ?? 0;
    expect(counts.get('SAVEPOINT')).toBe(10);
    // 10 read transactions and 1 write transaction began; 11 COMMITs, one of them durable.
    expect(beginImmediate).toBe(11);
    expect(counts.get('COMMIT')).toBe(11);
    expect(await store.read(async (t) => t.settings.get('r9'))).toEqual({ seen: null, i: 9 });
  });
});
