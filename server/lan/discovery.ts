/**
 * Finding the shop's hub on the LAN (issue #11): the hub announces itself by DNS-SD over mDNS
 * (`_counterlink._tcp`, TXT `v` = protocol version and `shop` = the shop's name, never a secret),
 * and a new till lists what it finds. This module is the logic only — what is announced, which
 * answers count as a hub, how duplicates and silent hubs are dropped — behind a small transport
 * interface; server/lan/bonjour-transport.ts is the real one (bonjour-service), the tests use fakes.
 */

/** The DNS-SD service type: `_counterlink._tcp.local`. */
export const SERVICE_TYPE = 'counterlink';
/** TXT `v`: the discovery/pairing protocol a hub speaks. A till lists only hubs of its own version. */
export const DISCOVERY_VERSION = '1';
/** A DNS label (the service instance name) is at most 63 bytes. */
const MAX_LABEL_BYTES = 63;
const MAX_SHOP_NAME = 120;

/** What the hub publishes. */
export interface Announcement {
  /** The instance name: unique on the LAN (mDNS probes for it), shown by other DNS-SD browsers. */
  name: string;
  type: string;
  port: number;
  txt: { v: string; shop: string };
}

/** A service as the transport reports it (bonjour-service's `Service`, reduced to what is read). */
export interface RawService {
  name?: unknown;
  port?: unknown;
  host?: unknown;
  addresses?: unknown;
  txt?: unknown;
  referer?: unknown;
}

/** A hub found on the LAN, as the first-start screen lists it. */
export interface FoundHub {
  /** The announced instance name (stable while the hub runs). */
  id: string;
  /** The shop's name from TXT (or the instance name). */
  shopName: string;
  /** Where to pair: `http://192.168.1.20:4780`. */
  origin: string;
  /** Clock reading (ms) of the last answer. */
  lastSeen: number;
}

export interface DiscoveryTransport {
  /** Publishes the hub. Throws when the network cannot be used at all. */
  publish(announcement: Announcement): { stop(): Promise<void> };
  /**
   * Browses for `type`: `onUp` for every answer of a browse round, `onDown` for a goodbye.
   * `refresh()` starts a new round (every hub still there answers again).
   */
  browse(type: string, onUp: (service: RawService) => void, onDown: (service: RawService) => void): { refresh(): void; stop(): void };
  destroy(): Promise<void>;
}

// C0/C1 controls and DEL: a name from the network is shown on screen.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(text: string, max: number): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** Cuts a string to at most `bytes` UTF-8 bytes without splitting a character. */
function fitBytes(text: string, bytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch, 'utf8') > bytes) break;
    out += ch;
  }
  return out;
}

/** What a hub announces: the shop's name and this machine's, so two hubs of one shop stay apart. */
export function announcement(input: { shopName: string; hostname: string; port: number; type?: string }): Announcement {
  const shop = clean(input.shopName, MAX_SHOP_NAME) || 'Counterlink';
  const host = clean(input.hostname.split('.')[0] ?? '', 40);
  const suffix = host ? ` (${host})` : '';
  // A dot would start a new DNS label; the name must fit one label.
  const name = `${fitBytes(shop.replace(/\./g, ' '), MAX_LABEL_BYTES - Buffer.byteLength(suffix, 'utf8')).trim()}${suffix}`;
  return { name, type: input.type ?? SERVICE_TYPE, port: input.port, txt: { v: DISCOVERY_VERSION, shop } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function txtValue(txt: Record<string, unknown>, key: string): string | undefined {
  const value = txt[key];
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Ranks an address for reaching the hub from another machine; undefined = unusable. */
function addressRank(address: string): number | undefined {
  const v4 = IPV4.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (v4.slice(1).some((p) => Number(p) > 255)) return undefined;
    if (a === 0 || a >= 224) return undefined; // unspecified, multicast, reserved
    if (a === 169 && b === 254) return 3; // link-local: works, but only on that one segment
    if (a === 127) return 4; // loopback: only from the hub itself
    return 1;
  }
  if (!address.includes(':') || !/^[0-9a-f:.]+$/i.test(address)) return undefined;
  const lower = address.toLowerCase();
  if (lower === '::' || lower.startsWith('ff')) return undefined;
  // fe80::/10 needs a zone id (%eth0) that another machine cannot use: not listed.
  if (/^fe[89ab]/.test(lower)) return undefined;
  if (lower === '::1') return 5;
  return 2;
}

function originOf(address: string, port: number): string {
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/**
 * An answer to a found hub, or undefined when it is not one this till can use: another version,
 * a bad port, no usable address. The address the answer came from (the referer) is a candidate too.
 */
export function parseService(raw: RawService, now: number): FoundHub | undefined {
  if (typeof raw.name !== 'string' || raw.name.trim() === '') return undefined;
  if (typeof raw.port !== 'number' || !Number.isInteger(raw.port) || raw.port < 1 || raw.port > 65535) return undefined;
  const txt = isRecord(raw.txt) ? raw.txt : {};
  if (txtValue(txt, 'v') !== DISCOVERY_VERSION) return undefined;
  const candidates = [
    ...(Array.isArray(raw.addresses) ? raw.addresses : []),
    ...(isRecord(raw.referer) && typeof raw.referer.address === 'string' ? [raw.referer.address] : []),
  ].filter((a): a is string => typeof a === 'string');
  let best: { address: string; rank: number } | undefined;
  for (const address of candidates) {
    const rank = addressRank(address);
    if (rank !== undefined && (best === undefined || rank < best.rank)) best = { address, rank };
  }
  if (!best) return undefined;
  const id = clean(raw.name, MAX_LABEL_BYTES * 2);
  const shopName = clean(txtValue(txt, 'shop') ?? '', MAX_SHOP_NAME) || id;
  return { id, shopName, origin: originOf(best.address, raw.port), lastSeen: now };
}

/** Hubs not heard from for this long are taken off the list (a refresh round every 5 s). */
export const HUB_EXPIRES_AFTER_MS = 16_000;
export const BROWSE_REFRESH_MS = 5_000;

/** The found hubs: one entry per hub, the latest answer wins, silent ones expire. */
export class HubDirectory {
  private readonly hubs = new Map<string, FoundHub>();

  constructor(private readonly expiresAfterMs = HUB_EXPIRES_AFTER_MS) {}

  /** An answer came in; true when the list changed (a new hub, or another address or name). */
  seen(raw: RawService, now: number): boolean {
    const hub = parseService(raw, now);
    if (!hub) return false;
    const before = this.hubs.get(hub.id);
    this.hubs.set(hub.id, hub);
    return !before || before.origin !== hub.origin || before.shopName !== hub.shopName;
  }

  /** A goodbye: the hub stopped. */
  gone(raw: RawService): boolean {
    return typeof raw.name === 'string' && this.hubs.delete(clean(raw.name, MAX_LABEL_BYTES * 2));
  }

  /** Drops hubs silent for too long; true when any was dropped. */
  expire(now: number): boolean {
    let changed = false;
    for (const [id, hub] of this.hubs) {
      if (now - hub.lastSeen > this.expiresAfterMs) {
        this.hubs.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  /** By shop name; one entry per address (a hub answering on two interfaces is still one hub). */
  list(): FoundHub[] {
    const byOrigin = new Map<string, FoundHub>();
    for (const hub of this.hubs.values()) {
      const other = byOrigin.get(hub.origin);
      if (!other || other.lastSeen < hub.lastSeen) byOrigin.set(hub.origin, hub);
    }
    return [...byOrigin.values()].sort((a, b) => a.shopName.localeCompare(b.shopName) || a.origin.localeCompare(b.origin));
  }
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return t;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface HubFinderOptions {
  transport: DiscoveryTransport;
  onChange(hubs: FoundHub[]): void;
  log(line: string): void;
  now?: () => number;
  timers?: Timers;
  type?: string;
  refreshMs?: number;
}

/** Browses for hubs while the first-start screen is open, and tells it each time the list changes. */
export class HubFinder {
  private readonly directory = new HubDirectory();
  private browser: { refresh(): void; stop(): void } | undefined;
  private timer: unknown;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly o: HubFinderOptions) {
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? realTimers;
  }

  list(): FoundHub[] {
    return this.directory.list();
  }

  start(): void {
    if (this.browser) return;
    const changed = (did: boolean): void => {
      if (did) this.o.onChange(this.list());
    };
    try {
      this.browser = this.o.transport.browse(
        this.o.type ?? SERVICE_TYPE,
        (s) => changed(this.directory.seen(s, this.now())),
        (s) => changed(this.directory.gone(s)),
      );
    } catch (err) {
      // No multicast here (no network, a firewall): the typed address still works.
      this.o.log(`LAN discovery unavailable, type the hub's address instead (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    this.timer = this.timers.setInterval(() => {
      changed(this.directory.expire(this.now()));
      this.browser?.refresh();
    }, this.o.refreshMs ?? BROWSE_REFRESH_MS);
  }

  stop(): void {
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
    this.browser?.stop();
    this.browser = undefined;
  }
}

/** `COUNTERLINK_ANNOUNCE=0` (or off/false/no) keeps the hub quiet on the LAN. */
export function announceEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = (env.COUNTERLINK_ANNOUNCE ?? '').trim().toLowerCase();
  return !['0', 'off', 'false', 'no'].includes(value);
}

/** A server bound to loopback cannot be reached from another till: nothing to announce. */
export function reachableFromLan(host: string): boolean {
  const h = host.trim().toLowerCase();
  return !(h === 'localhost' || h === '::1' || h.startsWith('127.'));
}

export interface AnnouncerOptions {
  env: Readonly<Record<string, string | undefined>>;
  host: string;
  port: number;
  hostname: string;
  shopName(): Promise<string>;
  /** Made only when announcing; may throw (no multicast). */
  transport(): DiscoveryTransport;
  log(line: string): void;
  type?: string;
}

export interface Announcer {
  /** What is announced, or null when not announcing (off, loopback, or the network refused). */
  readonly announced: Announcement | null;
  stop(): Promise<void>;
}

const SILENT: Announcer = { announced: null, stop: async () => {} };

/**
 * Starts announcing the hub. Never throws and never takes the server down: a network without
 * multicast costs one log line and the tills type the address instead.
 */
export async function startAnnouncer(o: AnnouncerOptions): Promise<Announcer> {
  if (!announceEnabled(o.env) || !reachableFromLan(o.host)) return SILENT;
  let transport: DiscoveryTransport | undefined;
  try {
    const payload = announcement({ shopName: await o.shopName(), hostname: o.hostname, port: o.port, ...(o.type ? { type: o.type } : {}) });
    transport = o.transport();
    const published = transport.publish(payload);
    const t = transport;
    return {
      announced: payload,
      async stop() {
        await published.stop().catch(() => undefined);
        await t.destroy().catch(() => undefined);
      },
    };
  } catch (err) {
    o.log(`not announcing the hub on the LAN (tills type its address instead): ${err instanceof Error ? err.message : String(err)}`);
    await transport?.destroy().catch(() => undefined);
    return SILENT;
  }
}
