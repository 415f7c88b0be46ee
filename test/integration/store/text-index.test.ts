/**
 * SQLite text indexes written once per write transaction (migration 019,
 * core/store/sqlite/text-index.ts): after any mix of creations, renames, failed members and
 * deletes, in groups or alone, the FTS5 index holds exactly the rows as they are (FTS5's own
 * integrity check) and `q` finds what a plain substring match finds; a group's new rows go into
 * the index together.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { openSqlite, type SqliteStore } from '../../../core/store/sqlite/adapter';
import { sqliteMigrationsUpTo } from '../../support/old-schema';
import { RECORD_NOW as NOW, linkRecord } from '../../support/records';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fresh(migrations?: string): { store: SqliteStore; file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'counterlink-text-'));
  dirs.push(dir);
  const file = join(dir, 'store.sqlite');
  return { store: openSqlite({ file, migrationsDir: migrations }), file, dir };
}

/** Throws unless both FTS5 indexes match their tables row for row. */
function integrityCheck(store: SqliteStore): void {
  store.db.exec("INSERT INTO links_search (links_search, rank) VALUES ('integrity-check', 1)");
  store.db.exec("INSERT INTO payments_search (payments_search, rank) VALUES ('integrity-check', 1)");
}

const addPos = (store: SqliteStore) =>
  store.tx((t) => t.pointsOfSale.insert({ id: 'pos_main', name: 'Main', currency: 'EUR', isDefault: true, methods: null, createdAt: NOW, updatedAt: NOW }));

const word = fc.constantFrom('tea', 'Coffee', 'cake', 'Table 4', 'Order 17', 'Äpfel', 'scone');
const step = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: word, also: fc.option(fc.constantFrom('rename', 'fail'), { nil: undefined }) }),
  fc.record({ kind: fc.constant('rename' as const), index: fc.nat(), name: word }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
);

it('holds exactly the rows as they are after creations, renames, failed members and deletes, grouped or alone', async () => {
  const { store } = fresh();
  await addPos(store);
  let n = 0;
  const ids: string[] = [];
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (groups) => {
      for (const group of groups) {
        // The steps of a group are asked for together: they share one transaction (group commit).
        await Promise.allSettled(
          group.map((s) =>
            store.tx(async (t) => {
              if (s.kind === 'create') {
                const id = `pl_t${++n}`;
                await t.links.insert(linkRecord(id, { name: s.name, refIdBase: `T${n}` }));
                if (s.also === 'rename') await t.links.updateFields({ ...(await t.links.get(id))!, name: `${s.name} renamed` });
                if (s.also === 'fail') throw new Error('this member fails after its insert');
                ids.push(id);
              } else if (ids.length > 0) {
                const id = ids[s.index % ids.length]!;
                if (s.kind === 'rename') await t.links.updateFields({ ...(await t.links.get(id))!, name: s.name });
                else store.db.prepare('DELETE FROM links WHERE id = ?').run(id);
              }
            }),
          ),
        );
        integrityCheck(store);
      }
      for (const q of ['tea', 'coffee', 'renamed', 'order 1', 'äpf']) {
        const found = (await store.read((t) => t.links.list({ now: NOW, q }, { limit: 200 }))).data.map((l) => l.id);
        const plain = (store.db.prepare('SELECT id FROM links WHERE name LIKE ? ORDER BY seq DESC').all(`%${q}%`) as { id: string }[]).map((r) => r.id);
        // LIKE folds ASCII case only; the trigram index folds all of Unicode: compare where they agree.
        if (/^[a-z 0-9]+$/.test(q)) expect(found, q).toEqual(plain);
        else expect(found.length, q).toBeGreaterThanOrEqual(plain.length);
      }
    }),
    { numRuns: 25 },
  );
  await store.close();
}, 60_000);

it('indexes a group of new links and their payments together, in fewer index pages than one a row', async () => {
  const pages = async (migrations?: string) => {
    const { store } = fresh(migrations);
    await addPos(store);
    const before = (store.db.prepare('SELECT COUNT(*) AS n FROM links_search_data').get() as { n: number }).n;
    await Promise.all(Array.from({ length: 40 }, (_v, i) => store.tx((t) => t.links.insert(linkRecord(`pl_g${i}`, { name: `Group order ${i}`, refIdBase: `G${i}` })))));
    const after = (store.db.prepare('SELECT COUNT(*) AS n FROM links_search_data').get() as { n: number }).n;
    const found = (await store.read((t) => t.links.list({ now: NOW, q: 'group order' }, { limit: 100 }))).data.length;
    integrityCheck(store);
    await store.close();
    return { written: after - before, found };
  };
  const now = await pages();
  expect(now.found).toBe(40);
  // The same group with the index written by a trigger, row by row (the schema before migration 019).
  const old = mkdtempSync(join(tmpdir(), 'counterlink-text-old-'));
  dirs.push(old);
  const before = await pages(sqliteMigrationsUpTo(old, 18));
  expect(before.found).toBe(40);
  expect(now.written).toBeLessThan(before.written);
});

it('an older database keeps its index and its refIds, and indexes what comes after the upgrade', async () => {
  const old = mkdtempSync(join(tmpdir(), 'counterlink-text-up-'));
  dirs.push(old);
  const { store, file } = fresh(sqliteMigrationsUpTo(old, 18));
  await addPos(store);
  await store.tx(async (t) => {
    await t.links.insert(linkRecord('pl_before', { name: 'Lemon tart', refIdBase: 'BEFORE' }));
    await t.refIds.claim('BEFORE');
  });
  await store.close();

  const after = openSqlite({ file });
  expect(after.db.prepare("SELECT indexed_seq FROM text_index_marks WHERE name = 'links'").get()).toEqual({ indexed_seq: 1 });
  // Migration 020: refIds keyed by themselves keep every claim; the indexes keep no column sizes.
  expect(await after.tx((t) => t.refIds.claim('BEFORE'))).toBe(false);
  expect(await after.tx((t) => t.refIds.claim('AFTER'))).toBe(true);
  expect(after.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%docsize'").all()).toEqual([]);
  await after.tx(async (t) => {
    await t.links.insert(linkRecord('pl_after', { name: 'Lemon cake', refIdBase: 'AFTER' }));
    await t.links.updateFields({ ...(await t.links.get('pl_before'))!, name: 'Lemon pie' });
  });
  expect((await after.read((t) => t.links.list({ now: NOW, q: 'lemon' }, { limit: 10 }))).data.map((l) => l.id)).toEqual(['pl_after', 'pl_before']);
  expect((await after.read((t) => t.links.list({ now: NOW, q: 'tart' }, { limit: 10 }))).data).toEqual([]);
  integrityCheck(after);
  await after.close();
});
