/**
 * Upgrading a database from before live and test mode (API.md): its links, payments and events
 * become test mode — they were all paid with the simulator — and its API keys stay as they were
 * and act as live keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openSqlite } from '../../../core/store/sqlite/adapter';
import { sqliteMigrationsUpTo } from '../../support/old-schema';

const dir = mkdtempSync(join(tmpdir(), 'counterlink-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('makes old links, payments and events test mode and keeps old keys live; old events stay JSON and are found by their link', async () => {
  const old = sqliteMigrationsUpTo(dir, 5);
  const file = join(dir, 'shop.sqlite');
  const before = openSqlite({ file, migrationsDir: old });
  before.db.exec(`
    INSERT INTO api_keys (id, name, key_hash, prefix, role, created_at) VALUES ('key_old', 'Old', 'h', 'clk_abcd', 'admin', 1);
    INSERT INTO points_of_sale (id, name, currency, is_default, created_at, updated_at) VALUES ('pos_1', 'Main', 'EUR', 1, 1, 1);
    INSERT INTO links (id, type, name, point_of_sale_id, amount, currency, reuse, locale, ref_id_base, created_at, updated_at)
      VALUES ('pl_old', 'payment', 'Old link', 'pos_1', 100, 'EUR', 'single', 'en', 'OLD', 1, 1);
    INSERT INTO payments (id, link_id, ref_id, status, amount, currency, method, lock_expires_at, created_at, updated_at)
      VALUES ('pay_old', 'pl_old', 'OLD-0001', 'succeeded', 100, 'EUR', 'simulator', 2, 1, 1);
    INSERT INTO events (type, created_at, data) VALUES ('link.created', 1, '{"id":"pl_old"}');
    INSERT INTO events (type, created_at, data) VALUES ('payment.succeeded', 2, '{"id":"pay_old","linkId":"pl_old"}');
    INSERT INTO events (type, created_at, data) VALUES ('link.created', 3, '{"id":"pl_other"}');
  `);
  await before.close();

  const after = openSqlite({ file });
  const seen = await after.read(async (t) => ({
    link: await t.links.get('pl_old'),
    payment: await t.payments.get('pay_old'),
    key: await t.apiKeys.get('key_old'),
    events: await t.eventLog.after(0, 10),
    ofLink: await t.eventLog.query({ linkId: 'pl_old', order: 'asc', limit: 10 }),
  }));
  // A new event is packed; old and new read back alike.
  await after.tx(async (t) => t.events.append('link.updated', 4, { id: 'pl_old', livemode: false, name: 'Renamed' }));
  const ofLink = await after.read((t) => t.eventLog.query({ linkId: 'pl_old', order: 'asc', limit: 10 }));
  const raw = after.db.prepare('SELECT data, packed IS NOT NULL AS packed FROM events ORDER BY id').all();
  await after.close();
  expect(seen.ofLink.map((e) => e.type)).toEqual(['link.created', 'payment.succeeded']);
  expect(ofLink.map((e) => [e.type, e.data])).toEqual([
    ['link.created', { id: 'pl_old' }],
    ['payment.succeeded', { id: 'pay_old', linkId: 'pl_old' }],
    ['link.updated', { id: 'pl_old', livemode: false, name: 'Renamed' }],
  ]);
  expect(raw).toEqual([
    { data: '{"id":"pl_old"}', packed: 0 },
    { data: '{"id":"pay_old","linkId":"pl_old"}', packed: 0 },
    { data: '{"id":"pl_other"}', packed: 0 },
    { data: '', packed: 1 },
  ]);
  expect(seen.link).toMatchObject({ livemode: false, methods: null });
  expect(seen.payment).toMatchObject({ livemode: false, providerReference: null, method: 'simulator' });
  expect(seen.key).toMatchObject({ mode: 'live' });
  expect(seen.events.map((e) => e.livemode)).toEqual([false, false, false]);
});
