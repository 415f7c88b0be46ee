/**
 * Expiry ranges list through `link_expiry_days` (core/store/repos/expiry-span.ts): for any links,
 * any later changes of their expiry and any range, a list pages through exactly the links a plain
 * read of the table finds, newest first; the day table holds bounds on every expiring link's seq.
 * On both stores; the backfill of an older database on SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../core/store/sqlite/adapter';
import { openPostgres } from '../../../core/store/postgres/adapter';
import type { Store } from '../../../core/store/port';
import type { LinkFilter } from '../../../core/store/types';
import { freshDatabase, testPostgresUrl } from '../../support/postgres';
import { sqliteMigrationsUpTo } from '../../support/old-schema';
import { storeRows } from '../../support/raw-db';
import { RECORD_NOW as NOW, linkRecord } from '../../support/records';

const DAY = 86_400_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const pgServer = testPostgresUrl();
const adapters: { name: string; open: () => Promise<Store> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'counterlink-expiry-'));
      dirs.push(dir);
      return openSqlite({ file: join(dir, 'store.sqlite') });
    },
  },
  ...(pgServer ? [{ name: 'postgres', open: async () => openPostgres({ url: await freshDatabase(pgServer, 'expiry') }) }] : []),
];

/** An expiry within three days of NOW, on a few distinct instants so ranges meet them exactly. */
const instant = fc.integer({ min: -72, max: 72 }).map((h) => NOW + h * 3_600_000 + (h % 5) * 1000);
const scenario = fc.record({
  links: fc.array(fc.record({ expiresAt: fc.option(instant, { nil: null }), livemode: fc.boolean() }), { minLength: 1, maxLength: 40 }),
  moves: fc.array(fc.record({ index: fc.nat(), expiresAt: fc.option(instant, { nil: null }) }), { maxLength: 10 }),
  ranges: fc.array(
    fc.record({ after: fc.option(instant, { nil: undefined }), before: fc.option(instant, { nil: undefined }), livemode: fc.option(fc.boolean(), { nil: undefined }) }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** Every page of a list, five links a page. */
async function listAll(store: Store, filter: LinkFilter): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.read((t) => t.links.list(filter, { limit: 5, cursor }));
    ids.push(...page.data.map((l) => l.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe.each(adapters)('expiry ranges on $name', ({ open }) => {
  it('list exactly the links a plain read finds, after any changes of expiry; the day table bounds every link', async () => {
    const store = await open();
    await store.tx((t) => t.pointsOfSale.insert({ id: 'pos_main', name: 'Main', currency: 'EUR', isDefault: true, methods: null, createdAt: NOW, updatedAt: NOW }));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ links, moves, ranges }) => {
        run++;
        const ids = links.map((_, i) => `pl_r${run}x${i}`);
        await store.tx(async (t) => {
          for (const [i, l] of links.entries()) await t.links.insert(linkRecord(ids[i]!, { ...l, refIdBase: `R${run}X${i}` }));
        });
        for (const move of moves) {
          const id = ids[move.index % ids.length]!;
          await store.tx(async (t) => t.links.updateFields({ ...(await t.links.get(id))!, expiresAt: move.expiresAt }));
        }
        const rows = await storeRows<{ id: string; seq: number; expires_at: number | null; livemode: number }>(
          store,
          `SELECT id, seq, expires_at, livemode FROM links WHERE id LIKE 'pl_r${run}x%'`,
        );
        for (const range of ranges) {
          const expected = rows
            .filter((r) => r.expires_at !== null && (range.after === undefined || Number(r.expires_at) > range.after))
            .filter((r) => range.before === undefined || Number(r.expires_at) < range.before)
            .filter((r) => range.livemode === undefined || r.livemode === (range.livemode ? 1 : 0))
            .sort((a, b) => Number(b.seq) - Number(a.seq))
            .map((r) => r.id);
          if (range.after === undefined && range.before === undefined) continue; // not an expiry range
          // Earlier runs' links stay in the table: this run's must come out in their place among them.
          const listed = await listAll(store, { now: NOW, expiresAfter: range.after, expiresBefore: range.before, livemode: range.livemode });
          expect(listed.filter((id) => id.startsWith(`pl_r${run}x`)), JSON.stringify(range)).toEqual(expected);
        }
        const days = await storeRows<{ livemode: number; day: number; first_seq: number; last_seq: number }>(store, 'SELECT * FROM link_expiry_days');
        for (const r of rows.filter((r) => r.expires_at !== null)) {
          const day = days.find((d) => d.livemode === r.livemode && Number(d.day) === Math.floor(Number(r.expires_at) / DAY));
          expect(day, `${r.id} expiring ${r.expires_at}`).toBeDefined();
          expect(Number(day!.first_seq)).toBeLessThanOrEqual(Number(r.seq));
          expect(Number(day!.last_seq)).toBeGreaterThanOrEqual(Number(r.seq));
        }
      }),
      { numRuns: 30 },
    );
    await store.close();
  }, 120_000);

  it('an empty range lists nothing and a range of one instant lists its links', async () => {
    const store = await open();
    await store.tx(async (t) => {
      await t.pointsOfSale.insert({ id: 'pos_main', name: 'Main', currency: 'EUR', isDefault: true, methods: null, createdAt: NOW, updatedAt: NOW });
      await t.links.insert(linkRecord('pl_at', { expiresAt: NOW, refIdBase: 'AT' }));
      await t.links.insert(linkRecord('pl_never', { refIdBase: 'NEVER' }));
    });
    expect(await listAll(store, { now: NOW, expiresAfter: NOW, expiresBefore: NOW + 1 })).toEqual([]);
    expect(await listAll(store, { now: NOW, expiresAfter: NOW + DAY })).toEqual([]);
    expect(await listAll(store, { now: NOW, expiresAfter: NOW - 1, expiresBefore: NOW + 1 })).toEqual(['pl_at']);
    expect(await listAll(store, { now: NOW, expiresBefore: NOW + 10 * DAY, livemode: true })).toEqual([]);
    await store.close();
  });
});

it('an older SQLite database gains the day table from its links when it upgrades', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'counterlink-expiry-upgrade-'));
  dirs.push(dir);
  const old = sqliteMigrationsUpTo(dir, 17);
  const file = join(dir, 'shop.sqlite');
  const before = openSqlite({ file, migrationsDir: old });
  await before.tx(async (t) => {
    await t.pointsOfSale.insert({ id: 'pos_main', name: 'Main', currency: 'EUR', isDefault: true, methods: null, createdAt: NOW, updatedAt: NOW });
    for (let i = 0; i < 6; i++) await t.links.insert(linkRecord(`pl_old${i}`, { expiresAt: i % 3 === 2 ? null : NOW + (i % 2) * DAY, livemode: i >= 3, refIdBase: `OLD${i}` }));
  });
  await before.close();

  const after = openSqlite({ file });
  expect(after.db.prepare('SELECT livemode, day, first_seq, last_seq FROM link_expiry_days ORDER BY livemode, day').all()).toEqual([
    { livemode: 0, day: Math.floor(NOW / DAY), first_seq: 1, last_seq: 1 },
    { livemode: 0, day: Math.floor(NOW / DAY) + 1, first_seq: 2, last_seq: 2 },
    { livemode: 1, day: Math.floor(NOW / DAY), first_seq: 5, last_seq: 5 },
    { livemode: 1, day: Math.floor(NOW / DAY) + 1, first_seq: 4, last_seq: 4 },
  ]);
  expect(await listAll(after, { now: NOW, expiresAfter: NOW - 1, livemode: false })).toEqual(['pl_old1', 'pl_old0']);
  await after.close();
});
