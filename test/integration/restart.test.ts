import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp, migrateDataDir } from '../../server/create-app';
import { openSqlite } from '../../core/store/sqlite/adapter';
import { migrationsDir, readMigrations } from '../../core/store/migrations';
import { sqliteMigrationsUpTo } from '../support/old-schema';
import { startApp } from '../support/app';
import { API_KEY, START, createLink, expectProblem, makeApp, makeTempDir, pay } from './helpers';


describe('restart on the same data directory', () => {
  it('keeps links, payments, events, idempotency keys and the API key; event ids keep growing', async () => {
    const dataDir = makeTempDir();
    const clock = new ManualClock(START);
    const first = await makeApp({ dataDir, clock });
    const single = await createLink(first, { name: 'Paid', refIdBase: 'KEEP' });
    const multi = await createLink(first, { name: 'Multi', reuse: 'multiple', maxUses: 3, refIdBase: 'MULTI' });
    const paid = await pay(first, single.id, 'succeeded');
    const m1 = await pay(first, multi.id, 'succeeded');
    const pending = await pay(first, multi.id);
    await first.req('POST', `/api/v1/payments/${paid.id}/refund`, { amount: '2.50' });
    const idem = await first.req('POST', '/api/v1/links', { name: 'Idem' }, { headers: { 'idempotency-key': 'restart-key' } });
    const pos = await first.req('POST', '/api/v1/points-of-sale', { name: 'Second' });
    const charge = (await first.req('POST', '/api/v1/charges', { amount: '3.00' })).body;
    const eventsBefore = (await first.req('GET', '/api/v1/events?limit=200')).body.data;
    const lastId = eventsBefore[eventsBefore.length - 1].id;
    const linksBefore = (await first.req('GET', '/api/v1/links?limit=200')).body;
    const paymentsBefore = (await first.req('GET', '/api/v1/payments?limit=200')).body;
    const displayBefore = (await first.req('GET', '/api/v1/display')).body;
    await first.close();

    // Second start: no API key configured this time; the stored one must still work.
    const second = await makeApp({ dataDir, clock, testApiKey: undefined });
    try {
      expect(second.app.generatedApiKey).toBeUndefined();
      expect((await second.req('GET', '/api/v1/links?limit=200')).body).toEqual(linksBefore);
      expect((await second.req('GET', '/api/v1/payments?limit=200')).body).toEqual(paymentsBefore);
      expect((await second.req('GET', '/api/v1/events?limit=200')).body.data).toEqual(eventsBefore);
      expect((await second.req('GET', '/api/v1/display')).body).toEqual(displayBefore);
      expect((await second.req('GET', `/api/v1/payments/${paid.id}`)).body).toMatchObject({ refId: 'KEEP-0001', status: 'partially_refunded', refundedAmount: '2.50' });
      expect((await second.req('GET', `/api/v1/links/${multi.id}`)).body.usage).toMatchObject({ count: 1, pendingCount: 1, remainingCount: 1 });
      expect((await second.req('GET', `/api/v1/points-of-sale/${pos.body.id}`)).body.name).toBe('Second');
      expect((await second.req('GET', `/api/v1/links/${charge.id}`)).body.status).toBe('enabled');

      // The API key works, a wrong one does not.
      expectProblem(await second.req('GET', '/api/v1/links', undefined, { auth: false, headers: { authorization: 'Bearer nope-nope-nope' } }), 401, 'unauthorized');

      // The idempotency key still replays.
      const replay = await second.req('POST', '/api/v1/links', { name: 'Idem' }, { headers: { 'idempotency-key': 'restart-key' } });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(idem.body);

      // Event ids continue; refIds continue; the pending payment can still complete.
      const after = await createLink(second, { name: 'After restart' });
      const events = (await second.req('GET', `/api/v1/events?after=${lastId}`)).body.data;
      expect(events[0]).toMatchObject({ id: lastId + 1, type: 'link.created' });
      expect(events[0].data.id).toBe(after.id);
      expect((await second.app.core.payments.complete(pending.id, 'succeeded')).refId).toBe('MULTI-0002');
      expect((await pay(second, multi.id, 'succeeded')).refId).toBe('MULTI-0003');
      expect((await second.req('GET', `/api/v1/links/${multi.id}`)).body).toMatchObject({ status: 'usage_limit_reached', usage: { count: 3 } });
      expect(m1.refId).toBe('MULTI-0001');
      // The refIdBase is still taken.
      expectProblem(await second.req('POST', '/api/v1/links', { name: 'Dup', refIdBase: 'KEEP' }), 409, 'ref-id-conflict');
    } finally {
      await second.close();
    }

    // A third start never reuses event ids either.
    const third = await makeApp({ dataDir, clock });
    try {
      const maxBefore = await third.app.core.events.lastId();
      await createLink(third);
      expect(await third.app.core.events.lastId()).toBeGreaterThan(maxBefore);
    } finally {
      await third.close();
    }
  });

  it('applies time that passed while the app was closed on the first read', async () => {
    const dataDir = makeTempDir();
    const clock = new ManualClock(START);
    const first = await makeApp({ dataDir, clock });
    const expiring = await createLink(first, { expiresInMinutes: 10 });
    const locked = await createLink(first);
    const payment = await pay(first, locked.id);
    await first.close();
    clock.advance(60 * 60_000);
    const second = await makeApp({ dataDir, clock });
    try {
      expect((await second.req('GET', `/api/v1/links/${expiring.id}`)).body.status).toBe('expired');
      expect((await second.req('GET', `/api/v1/links/${locked.id}`)).body.status).toBe('enabled');
      expect((await second.req('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('abandoned');
    } finally {
      await second.close();
    }
  });

  it('keeps a generated first key working across restarts and never prints it again', async () => {
    const dataDir = makeTempDir();
    const first = await createApp({ dataDir, port: 0, host: '127.0.0.1', baseUrl: 'http://127.0.0.1:4780' });
    const key = first.generatedApiKey!;
    expect(key).toBeTruthy();
    await first.close();
    const second = await createApp({ dataDir, port: 0, host: '127.0.0.1', baseUrl: 'http://127.0.0.1:4780' });
    try {
      expect(second.generatedApiKey).toBeUndefined();
      const ok = await second.server.inject({ method: 'GET', url: '/api/v1/links', headers: { authorization: `Bearer ${key}` } });
      expect(ok.statusCode).toBe(200);
      const other = await second.server.inject({ method: 'GET', url: '/api/v1/links', headers: { authorization: `Bearer ${API_KEY}` } });
      expect(other.statusCode).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('migrateDataDir (the desktop app runs it before its timed start)', () => {
  it("migrates an older version's database in the data directory, privately, and does nothing more", async () => {
    const dataDir = makeTempDir();
    const file = join(dataDir, 'counterlink.sqlite');
    const old = openSqlite({ file, migrationsDir: sqliteMigrationsUpTo(makeTempDir(), 18) });
    old.db.exec("INSERT INTO points_of_sale (id, name, currency, is_default, created_at, updated_at) VALUES ('pos_1', 'Main', 'EUR', 1, 1, 1)");
    await old.close();
    chmodSync(dataDir, 0o755);
    chmodSync(file, 0o644);

    await migrateDataDir({ dataDir });
    const applied = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT version, applied_at AS at FROM schema_migrations ORDER BY version').all() as { version: number; at: number }[];
      } finally {
        db.close();
      }
    };
    const after = applied();
    expect(after.map((m) => m.version)).toEqual(readMigrations(migrationsDir('sqlite')).map((m) => m.version));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Nothing but the schema: no data key yet (the app makes it when it starts).
    expect(existsSync(join(dataDir, 'secrets.key'))).toBe(false);

    // Again, and then the app itself: nothing left to apply.
    await migrateDataDir({ dataDir });
    // On SQLite in either test project: the data directory's own database is the point.
    const app = await startApp({ dataDir });
    try {
      expect((await app.req('GET', '/api/v1/points-of-sale')).status).toBe(200);
    } finally {
      await app.close();
    }
    expect(applied()).toEqual(after);
  });
});
