/**
 * The real mDNS round on this machine's network (issue #11): a hub app announces itself as
 * `npm run serve` does (server/lan/announce.ts, bonjour-service), a till's finder (the desktop
 * first-start screen's) finds it with its shop name and a LAN address that really answers, pairs
 * through that address, and the hub's goodbye takes it off the list. Skipped, with a message, where
 * the machine has no multicast.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairWithHub } from '../../electron/lib/hub';
import { announceApp } from '../../server/lan/announce';
import { bonjourTransport } from '../../server/lan/bonjour-transport';
import { HubFinder, type Announcer, type FoundHub } from '../../server/lan/discovery';
import { startApp, type RunningApp } from './staff-helpers';

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('LAN discovery over real mDNS', () => {
  let hub: RunningApp;
  let announcer: Announcer;
  const shop = `Test shop ${randomBytes(4).toString('hex')}`;
  const logs: string[] = [];

  beforeAll(async () => {
    // Listening on every interface, as a hub does: announced (loopback-only servers are not).
    hub = await startApp({ host: '0.0.0.0' });
    await hub.app.core.settings.update({ merchantName: shop });
    announcer = await announceApp(hub.app, { env: {}, host: '0.0.0.0', port: hub.port, log: (l) => logs.push(l) });
  });

  afterAll(async () => {
    await announcer?.stop();
    await hub?.app.close();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('announces, is found with its shop name and a reachable address, pairs there, and leaves the list on goodbye', async (ctx) => {
    expect(announcer.announced?.txt).toEqual({ v: '1', shop });
    let hubs: FoundHub[] = [];
    const transport = bonjourTransport((l) => logs.push(l));
    const finder = new HubFinder({ transport, onChange: (l) => (hubs = l), log: (l) => logs.push(l), refreshMs: 1000 });
    try {
      finder.start();
      let found: FoundHub;
      try {
        found = await until('the hub on the LAN', () => hubs.find((h) => h.shopName === shop), 8000);
      } catch (err) {
        if (logs.some((l) => /mDNS|multicast|LAN discovery/.test(l))) {
          ctx.skip(`no multicast on this machine: ${logs.join(' | ')}`);
        }
        throw err;
      }
      expect(found.origin).toMatch(new RegExp(`^http://.+:${hub.port}$`));
      expect((await fetch(`${found.origin}/healthz`)).status).toBe(200);

      const { code } = await hub.app.core.devices.createPairingCode({ role: 'counter', pointOfSaleId: (await hub.app.core.pointsOfSale.list())[0]!.id });
      const paired = await pairWithHub(fetch, found.origin, code, 'Till on the LAN');
      expect(paired).toMatchObject({ ok: true, origin: found.origin });
      expect((await hub.app.core.devices.list()).map((d) => d.name)).toContain('Till on the LAN');

      await announcer.stop();
      await until('the goodbye', () => (hubs.some((h) => h.shopName === shop) ? undefined : true), 8000);
    } finally {
      finder.stop();
      await transport.destroy();
    }
  }, 40_000);

  it('a goodbye sent right after a browse round starts still takes the hub off (the new round has not heard it yet)', async (ctx) => {
    const lines: string[] = [];
    const hubSide = bonjourTransport((l) => lines.push(l));
    const tillSide = bonjourTransport((l) => lines.push(l));
    const name = `Leaving ${randomBytes(3).toString('hex')}`;
    const type = `cl${randomBytes(3).toString('hex')}`;
    const up = new Set<string>();
    const down: string[] = [];
    const browser = tillSide.browse(type, (s) => up.add(String(s.name)), (s) => down.push(String(s.name)));
    try {
      const published = hubSide.publish({ name, type, port: 4780, txt: { v: '1', shop: 'x' } });
      try {
        await until('the hub', () => (up.has(name) ? true : undefined), 8000);
      } catch (err) {
        if (lines.length > 0) ctx.skip(`no multicast on this machine: ${lines.join(' | ')}`);
        throw err;
      }
      // The new round's query and the goodbye leave in the same turn: the hub has unregistered
      // before it reads the query, so the new round never hears of it.
      browser.refresh();
      const stopped = published.stop();
      await until('the goodbye', () => (down.includes(name) ? true : undefined), 5000);
      await stopped;
    } finally {
      browser.stop();
      await tillSide.destroy();
      await hubSide.destroy();
    }
  }, 30_000);

  it('a network that refuses mDNS costs one log line, not the process (multicast-dns would throw an unhandled error)', async () => {
    const lines: string[] = [];
    // An address of no interface here (TEST-NET-3): binding fails as on a LAN without multicast.
    const transport = bonjourTransport((l) => lines.push(l), { interface: '203.0.113.77' });
    const published = transport.publish({ name: `Refused ${randomBytes(3).toString('hex')}`, type: 'counterlink', port: 4780, txt: { v: '1', shop: 'x' } });
    const browser = transport.browse('counterlink', () => {}, () => {});
    browser.refresh();
    await until('the error', () => (lines.length > 0 ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LAN discovery \(mDNS\) failed; tills can still type the hub's address: .*EADDRNOTAVAIL/);
    browser.stop();
    await published.stop();
    await transport.destroy();
  }, 20_000);
});
