/**
 * Finding the hub on the LAN (issue #11), without the network: what a hub announces, which
 * answers count as a hub, duplicates and silent hubs, the finder's rounds, and an announcer that
 * never takes the server down. The real mDNS round is test/e2e/lan-discovery.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  announcement,
  announceEnabled,
  DISCOVERY_VERSION,
  HUB_EXPIRES_AFTER_MS,
  HubDirectory,
  HubFinder,
  parseService,
  reachableFromLan,
  SERVICE_TYPE,
  startAnnouncer,
  type Announcement,
  type DiscoveryTransport,
  type FoundHub,
  type RawService,
} from '../../../../server/lan/discovery';

const hubAnswer = (over: Partial<RawService> = {}): RawService => ({
  name: 'Bakery Bloom (till-1)',
  port: 4780,
  host: 'till-1.local',
  addresses: ['192.168.1.20'],
  txt: { v: DISCOVERY_VERSION, shop: 'Bakery Bloom' },
  referer: { address: '192.168.1.20', family: 'IPv4', port: 5353 },
  ...over,
});

describe('what a hub announces', () => {
  it('the shop’s name and version in TXT, nothing secret; the instance name is the shop and the machine', () => {
    const a = announcement({ shopName: 'Bakery Bloom', hostname: 'till-1.fritz.box', port: 4780 });
    expect(a).toEqual({ name: 'Bakery Bloom (till-1)', type: SERVICE_TYPE, port: 4780, txt: { v: DISCOVERY_VERSION, shop: 'Bakery Bloom' } });
    expect(Object.keys(a.txt).sort()).toEqual(['shop', 'v']);
  });

  it('fits one DNS label (63 bytes, no dots, whole characters) and cleans control characters', () => {
    const a = announcement({ shopName: 'Bäckerei Müller & Söhne GmbH. Filiale Hauptbahnhof Nord-West, Eingang C\u0007', hostname: 'kasse-hauptbahnhof', port: 80 });
    expect(Buffer.byteLength(a.name, 'utf8')).toBeLessThanOrEqual(63);
    expect(a.name).not.toContain('.');
    expect(a.name.endsWith(' (kasse-hauptbahnhof)')).toBe(true);
    expect(a.txt.shop).toBe('Bäckerei Müller & Söhne GmbH. Filiale Hauptbahnhof Nord-West, Eingang C');
    expect(announcement({ shopName: '  ', hostname: '', port: 1 }).name).toBe('Counterlink');
  });

  it('is off with COUNTERLINK_ANNOUNCE=0 and for a server only reachable on loopback', () => {
    expect(announceEnabled({})).toBe(true);
    expect(announceEnabled({ COUNTERLINK_ANNOUNCE: '1' })).toBe(true);
    for (const off of ['0', 'off', 'false', ' NO ']) expect(announceEnabled({ COUNTERLINK_ANNOUNCE: off })).toBe(false);
    expect(reachableFromLan('0.0.0.0')).toBe(true);
    expect(reachableFromLan('192.168.1.20')).toBe(true);
    for (const h of ['127.0.0.1', 'localhost', '::1']) expect(reachableFromLan(h)).toBe(false);
  });
});

describe('answers to found hubs', () => {
  it('takes the LAN address, the port and the shop’s name', () => {
    expect(parseService(hubAnswer(), 5)).toEqual({ id: 'Bakery Bloom (till-1)', shopName: 'Bakery Bloom', origin: 'http://192.168.1.20:4780', lastSeen: 5 });
  });

  it('prefers a routable IPv4 address, then a global IPv6, never a link-local IPv6 or multicast', () => {
    expect(parseService(hubAnswer({ addresses: ['fe80::1', 'fd00::2', '192.168.1.20'] }), 0)?.origin).toBe('http://192.168.1.20:4780');
    expect(parseService(hubAnswer({ addresses: ['fe80::1', 'fd00::2'], referer: undefined }), 0)?.origin).toBe('http://[fd00::2]:4780');
    expect(parseService(hubAnswer({ addresses: ['169.254.3.4', '10.0.0.7'] }), 0)?.origin).toBe('http://10.0.0.7:4780');
    expect(parseService(hubAnswer({ addresses: ['fe80::1', '224.0.0.251', '0.0.0.0', '300.1.1.1'], referer: undefined }), 0)).toBeUndefined();
    // No A record in the answer: the address it came from.
    expect(parseService(hubAnswer({ addresses: [] }), 0)?.origin).toBe('http://192.168.1.20:4780');
  });

  it('refuses other versions, bad ports and nameless answers', () => {
    expect(parseService(hubAnswer({ txt: { v: '2', shop: 'X' } }), 0)).toBeUndefined();
    expect(parseService(hubAnswer({ txt: {} }), 0)).toBeUndefined();
    expect(parseService(hubAnswer({ txt: 'v=1' }), 0)).toBeUndefined();
    for (const port of [0, 65536, 80.5, '4780', undefined]) expect(parseService(hubAnswer({ port }), 0)).toBeUndefined();
    expect(parseService(hubAnswer({ name: '' }), 0)).toBeUndefined();
    expect(parseService(hubAnswer({ name: 7 }), 0)).toBeUndefined();
  });

  it('cleans what it shows (control characters, length); a missing shop name falls back to the instance name; TXT as bytes works', () => {
    expect(parseService(hubAnswer({ txt: { v: '1', shop: 'Evil\u001b[2J\nShop' } }), 0)?.shopName).toBe('Evil [2J Shop');
    expect(parseService(hubAnswer({ txt: { v: '1' } }), 0)?.shopName).toBe('Bakery Bloom (till-1)');
    expect(parseService(hubAnswer({ txt: { v: '1', shop: 'x'.repeat(500) } }), 0)?.shopName).toHaveLength(120);
    expect(parseService(hubAnswer({ txt: { v: Buffer.from('1'), shop: Buffer.from('Café') } }), 0)?.shopName).toBe('Café');
  });
});

describe('the directory of found hubs', () => {
  it('lists each hub once, by shop name, the latest answer winning', () => {
    const d = new HubDirectory();
    expect(d.seen(hubAnswer(), 1)).toBe(true);
    expect(d.seen(hubAnswer(), 2)).toBe(false); // the same again: no change to show
    expect(d.seen(hubAnswer({ name: 'Aroma (pc)', addresses: ['192.168.1.30'], txt: { v: '1', shop: 'Aroma' } }), 3)).toBe(true);
    expect(d.seen(hubAnswer({ txt: { v: '9' } }), 4)).toBe(false); // not a hub we can use
    expect(d.list().map((h) => h.shopName)).toEqual(['Aroma', 'Bakery Bloom']);
    // A new DHCP lease: the same hub, another address.
    expect(d.seen(hubAnswer({ addresses: ['192.168.1.21'], referer: undefined }), 5)).toBe(true);
    expect(d.list().find((h) => h.shopName === 'Bakery Bloom')?.origin).toBe('http://192.168.1.21:4780');
  });

  it('one entry per address even when a hub answers under two names', () => {
    const d = new HubDirectory();
    d.seen(hubAnswer(), 1);
    d.seen(hubAnswer({ name: 'Bakery Bloom (till-1) (2)' }), 2);
    expect(d.list()).toHaveLength(1);
    expect(d.list()[0]!.id).toBe('Bakery Bloom (till-1) (2)');
  });

  it('drops a hub that said goodbye, and one silent for too long', () => {
    const d = new HubDirectory();
    d.seen(hubAnswer(), 0);
    d.seen(hubAnswer({ name: 'Aroma (pc)', addresses: ['192.168.1.30'] }), 0);
    expect(d.gone({ name: 'Aroma (pc)' })).toBe(true);
    expect(d.gone({ name: 'Aroma (pc)' })).toBe(false);
    expect(d.expire(HUB_EXPIRES_AFTER_MS)).toBe(false);
    d.seen(hubAnswer(), HUB_EXPIRES_AFTER_MS);
    expect(d.expire(2 * HUB_EXPIRES_AFTER_MS)).toBe(false); // answered meanwhile
    expect(d.expire(2 * HUB_EXPIRES_AFTER_MS + 1)).toBe(true);
    expect(d.list()).toEqual([]);
  });
});

/** A transport driven by the test: it says which answers arrive. */
function fakeTransport(o: { publishThrows?: Error; browseThrows?: Error } = {}) {
  const calls = { published: [] as Announcement[], stopped: 0, destroyed: 0, refreshed: 0, browsing: 0 };
  let up: ((s: RawService) => void) | undefined;
  let down: ((s: RawService) => void) | undefined;
  const transport: DiscoveryTransport = {
    publish(a) {
      if (o.publishThrows) throw o.publishThrows;
      calls.published.push(a);
      return { stop: async () => void calls.stopped++ };
    },
    browse(type, onUp, onDown) {
      if (o.browseThrows) throw o.browseThrows;
      expect(type).toBe(SERVICE_TYPE);
      calls.browsing++;
      up = onUp;
      down = onDown;
      return { refresh: () => void calls.refreshed++, stop: () => void calls.browsing-- };
    },
    destroy: async () => void calls.destroyed++,
  };
  return { transport, calls, answer: (s: RawService) => up?.(s), goodbye: (s: RawService) => down?.(s) };
}

function manualTimers() {
  let tick: (() => void) | undefined;
  return {
    timers: { setInterval: (fn: () => void) => ((tick = fn), 1), clearInterval: () => (tick = undefined) },
    tick: () => tick?.(),
    running: () => tick !== undefined,
  };
}

describe('the hub finder', () => {
  it('tells the screen when the list changes, refreshes each round and expires silent hubs', () => {
    const fake = fakeTransport();
    const t = manualTimers();
    let now = 0;
    const seen: FoundHub[][] = [];
    const finder = new HubFinder({ transport: fake.transport, onChange: (l) => seen.push(l), log: () => {}, now: () => now, timers: t.timers });
    finder.start();
    finder.start(); // once
    expect(fake.calls.browsing).toBe(1);
    fake.answer(hubAnswer());
    fake.answer(hubAnswer());
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]!.origin).toBe('http://192.168.1.20:4780');
    now = 5_000;
    t.tick();
    expect(fake.calls.refreshed).toBe(1);
    now = HUB_EXPIRES_AFTER_MS + 1;
    t.tick();
    expect(seen.at(-1)).toEqual([]);
    fake.answer(hubAnswer());
    fake.goodbye({ name: 'Bakery Bloom (till-1)' });
    expect(seen.at(-1)).toEqual([]);
    expect(seen).toHaveLength(4);
    finder.stop();
    expect(t.running()).toBe(false);
    expect(fake.calls.browsing).toBe(0);
  });

  it('without multicast: one log line, an empty list, no crash', () => {
    const fake = fakeTransport({ browseThrows: Object.assign(new Error('bind EADDRINUSE 0.0.0.0:5353'), { code: 'EADDRINUSE' }) });
    const lines: string[] = [];
    const finder = new HubFinder({ transport: fake.transport, onChange: () => {}, log: (l) => lines.push(l), timers: manualTimers().timers });
    expect(() => finder.start()).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/type the hub's address/);
    expect(finder.list()).toEqual([]);
    finder.stop();
  });
});

describe('the announcer', () => {
  const base = { env: {}, host: '0.0.0.0', port: 4780, hostname: 'till-1', shopName: async () => 'Bakery Bloom' };

  it('publishes the announcement and stops it (goodbye) on shutdown', async () => {
    const fake = fakeTransport();
    const a = await startAnnouncer({ ...base, transport: () => fake.transport, log: () => {} });
    expect(a.announced).toEqual(announcement({ shopName: 'Bakery Bloom', hostname: 'till-1', port: 4780 }));
    expect(fake.calls.published).toEqual([a.announced]);
    await a.stop();
    expect(fake.calls).toMatchObject({ stopped: 1, destroyed: 1 });
  });

  it('stays quiet when turned off or bound to loopback (the network is never touched)', async () => {
    let made = 0;
    const transport = (): DiscoveryTransport => {
      made++;
      return fakeTransport().transport;
    };
    expect((await startAnnouncer({ ...base, env: { COUNTERLINK_ANNOUNCE: '0' }, transport, log: () => {} })).announced).toBeNull();
    expect((await startAnnouncer({ ...base, host: '127.0.0.1', transport, log: () => {} })).announced).toBeNull();
    expect(made).toBe(0);
  });

  it('never throws: no multicast (or no shop name) costs one log line and the server goes on', async () => {
    for (const broken of [
      { transport: () => fakeTransport({ publishThrows: new Error('no multicast route') }).transport },
      {
        transport: () => {
          throw new Error('socket refused');
        },
      },
      { transport: () => fakeTransport().transport, shopName: () => Promise.reject(new Error('database closed')) },
    ]) {
      const lines: string[] = [];
      const a = await startAnnouncer({ ...base, ...broken, log: (l) => lines.push(l) });
      expect(a.announced).toBeNull();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^not announcing the hub on the LAN/);
      await expect(a.stop()).resolves.toBeUndefined();
    }
  });
});
