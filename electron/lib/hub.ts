/**
 * "Run this shop's hub here" or "Join a hub": the desktop app's first-start choice (issue #11),
 * as plain functions the main process calls. A hub starts the embedded server and database; a
 * joined counter starts neither and works against the hub's Service API and event stream with
 * the device token it got by pairing. Nothing here imports Electron.
 */
import type { StoredSecret } from './settings';

/** The hub's port when an address is typed without one (the embedded server's default). */
export const DEFAULT_HUB_PORT = 4780;

/** What this machine is, as kept in desktop-settings.json; `role: null` until the choice is made. */
export interface HubSettings {
  role: 'hub' | 'counter' | null;
  /** Set once this machine joined a hub as a counter. */
  joined: JoinedHub | null;
}

export interface JoinedHub {
  /** The hub's origin, e.g. http://192.168.1.20:4780 */
  url: string;
  deviceId: string;
  name: string;
  pointOfSaleId: string;
  /** The device token, sealed with the OS keychain where there is one. */
  token: StoredSecret;
}

export function defaultHubSettings(): HubSettings {
  return { role: null, joined: null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DEVICE_ID = /^dev_[A-Za-z0-9]{1,64}$/;
const POS_ID = /^pos_[A-Za-z0-9]{1,64}$/;

/** Tolerant, field by field: a joined hub is kept only when every part of it is sound. */
export function parseHubSettings(raw: unknown): HubSettings {
  if (!isRecord(raw)) return defaultHubSettings();
  const role = raw.role === 'hub' || raw.role === 'counter' ? raw.role : null;
  const j = isRecord(raw.joined) ? raw.joined : null;
  const url = j && typeof j.url === 'string' ? normalizeHubAddress(j.url) : null;
  const token = j && isRecord(j.token) && (j.token.format === 'safeStorage' || j.token.format === 'plain') && typeof j.token.data === 'string' && j.token.data.length > 0 && j.token.data.length <= 4096 ? (j.token as StoredSecret) : null;
  const joined =
    j && url && url.ok && token && typeof j.deviceId === 'string' && DEVICE_ID.test(j.deviceId) && typeof j.pointOfSaleId === 'string' && POS_ID.test(j.pointOfSaleId)
      ? { url: url.origin, deviceId: j.deviceId, name: typeof j.name === 'string' ? j.name.slice(0, 120) : '', pointOfSaleId: j.pointOfSaleId, token: { format: token.format, data: token.data } }
      : null;
  return { role, joined };
}

export type StartupPlan =
  /** Start the embedded server and database here (what every install did before #11). */
  | { kind: 'hub'; why: 'chosen' | 'existing-install' | 'configured' }
  /** Start no server: use the joined hub's API with the device token. */
  | { kind: 'counter'; hub: JoinedHub }
  /** First start of a new install (or a counter whose pairing is gone): ask. */
  | { kind: 'ask'; why: 'first-start' | 'not-paired' };

export interface StartupFacts {
  hub: HubSettings;
  /** A database already exists in the data directory (an install from before the choice). */
  hasDatabase: boolean;
  /** COUNTERLINK_DATABASE_URL, COUNTERLINK_API_KEY…: someone configured a server here on purpose. */
  serverConfigured: boolean;
}

/**
 * What to do at start. An existing shop is never asked (it is its own hub, as before); a machine
 * set up as a server by environment is a hub; a counter whose pairing is lost asks again.
 */
export function startupPlan(f: StartupFacts): StartupPlan {
  if (f.hub.role === 'counter') return f.hub.joined ? { kind: 'counter', hub: f.hub.joined } : { kind: 'ask', why: 'not-paired' };
  if (f.hub.role === 'hub') return { kind: 'hub', why: 'chosen' };
  if (f.serverConfigured) return { kind: 'hub', why: 'configured' };
  if (f.hasDatabase) return { kind: 'hub', why: 'existing-install' };
  return { kind: 'ask', why: 'first-start' };
}

export type HubAddress = { ok: true; origin: string } | { ok: false; reason: 'empty' | 'invalid' | 'scheme' | 'credentials' | 'path' };

/**
 * A typed hub address to an origin: `192.168.1.20`, `192.168.1.20:4780`, `till-1.local`,
 * `http://192.168.1.20:4780/` all work; the port defaults to 4780, the scheme to http (a hub on
 * the shop's LAN). User info, paths, queries and other schemes are refused, not dropped quietly.
 */
export function normalizeHubAddress(input: string): HubAddress {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (u.username || u.password) return { ok: false, reason: 'credentials' };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return { ok: false, reason: 'path' };
  if (!u.hostname) return { ok: false, reason: 'invalid' };
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]+\]|[^/:]+):\d+/i.test(withScheme);
  if (!explicitPort && u.protocol === 'http:') u.port = String(DEFAULT_HUB_PORT);
  return { ok: true, origin: u.origin };
}

export interface PairedDevice {
  device: { id: string; name: string; role: string; pointOfSaleId: string };
  token: string;
}

export type PairResult =
  | { ok: true; paired: PairedDevice }
  | { ok: false; reason: 'address' | 'unreachable' | 'code-invalid' | 'rate-limited' | 'wrong-role' | 'not-a-hub'; retryAfterSeconds?: number };

type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }>;

/**
 * Pairs this machine as a counter: `POST {hub}/devices/pair`. Only a counter code will do (a
 * display code belongs on a tablet). Every outcome is a value the first-start screen can word.
 */
export async function pairWithHub(fetchFn: FetchLike, address: string, code: string, name: string, timeoutMs = 8000): Promise<PairResult & { origin?: string }> {
  const hub = normalizeHubAddress(address);
  if (!hub.ok) return { ok: false, reason: 'address' };
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(`${hub.origin}/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code, name }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (res.status === 401) return { ok: false, reason: 'code-invalid' };
  if (res.status === 429) {
    const seconds = Number(res.headers.get('retry-after'));
    return { ok: false, reason: 'rate-limited', ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: seconds } : {}) };
  }
  if (res.status !== 201) return { ok: false, reason: 'not-a-hub' };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, reason: 'not-a-hub' };
  }
  const b = isRecord(body) ? body : {};
  const d = isRecord(b.device) ? b.device : {};
  if (typeof b.token !== 'string' || typeof d.id !== 'string' || typeof d.pointOfSaleId !== 'string' || typeof d.role !== 'string') return { ok: false, reason: 'not-a-hub' };
  if (d.role !== 'counter') return { ok: false, reason: 'wrong-role' };
  return { ok: true, origin: hub.origin, paired: { device: { id: d.id, name: typeof d.name === 'string' ? d.name : name, role: d.role, pointOfSaleId: d.pointOfSaleId }, token: b.token } };
}

/** What a joined counter's windows get instead of the embedded server: the hub and the token. */
export interface HubClientConfig {
  /** The staff UI and the counter display load from here (the hub serves both). */
  serverUrl: string;
  /** Sent as `Authorization: Bearer` by the renderer's API client (the bridge's `apiKey`). */
  apiKey: string;
  pointOfSaleId: string;
  /** This machine starts no server and no database of its own. */
  startsServer: false;
  /** The counter display of this till: the hub's public display page of its point of sale. */
  displayUrl: string;
  /** Polled to tell the hub unreachable from back again. */
  healthUrl: string;
}

export function hubClientConfig(hub: JoinedHub, token: string): HubClientConfig {
  return {
    serverUrl: hub.url,
    apiKey: token,
    pointOfSaleId: hub.pointOfSaleId,
    startsServer: false,
    displayUrl: `${hub.url}/display/${encodeURIComponent(hub.pointOfSaleId)}`,
    healthUrl: `${hub.url}/healthz`,
  };
}

/** Whether the hub answers, as the staff window shows it. */
export interface Reachability {
  state: 'online' | 'offline';
  /** When it became so (ms). */
  since: number;
  /** Failed probes in a row (one lost probe on a busy Wi-Fi is not yet "unreachable"). */
  failures: number;
}

export const OFFLINE_AFTER_FAILURES = 2;

export function initialReachability(now: number): Reachability {
  return { state: 'online', since: now, failures: 0 };
}

/**
 * One probe's outcome into the shown state: offline after `OFFLINE_AFTER_FAILURES` failures in a
 * row, online again at the first success. `changed` says when to tell the staff.
 */
export function nextReachability(prev: Reachability, probeOk: boolean, now: number): Reachability & { changed: boolean } {
  if (probeOk) return prev.state === 'online' ? { ...prev, failures: 0, changed: false } : { state: 'online', since: now, failures: 0, changed: true };
  const failures = prev.failures + 1;
  if (prev.state === 'online' && failures >= OFFLINE_AFTER_FAILURES) return { state: 'offline', since: now, failures, changed: true };
  return { ...prev, failures, changed: false };
}

/** A probe of the hub: its health endpoint with the device token's reach (401 = this till was revoked). */
export async function probeHub(fetchFn: FetchLike, config: HubClientConfig, timeoutMs = 3000): Promise<'ok' | 'unreachable' | 'revoked'> {
  try {
    const health = await fetchFn(config.healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (health.status !== 200) return 'unreachable';
    const me = await fetchFn(`${config.serverUrl}/api/v1/display?pointOfSaleId=${encodeURIComponent(config.pointOfSaleId)}`, {
      headers: { authorization: `Bearer ${config.apiKey}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (me.status === 401) return 'revoked';
    return me.status === 200 ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/** The sqlite database file of an embedded server in the data directory (server/create-app.ts). */
export const DATABASE_FILE = 'counterlink.sqlite';

/** Environment that sets this machine up as a server on purpose: it is a hub, never asked. */
export function serverConfiguredByEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['COUNTERLINK_DATABASE_URL', 'COUNTERLINK_API_KEY'].some((k) => (env[k] ?? '').trim() !== '');
}

export interface JoinRequest {
  address: string;
  code: string;
  name: string;
}

/**
 * Until the first-start screen exists: a till is joined to a hub by starting it once with
 * `COUNTERLINK_JOIN_HUB=<address> COUNTERLINK_JOIN_CODE=<code>` (and optionally
 * `COUNTERLINK_JOIN_NAME`). Both or nothing: one without the other is a mistake to report.
 */
export function joinRequestFromEnv(env: Readonly<Record<string, string | undefined>>, defaultName: string): JoinRequest | { error: string } | undefined {
  const address = (env.COUNTERLINK_JOIN_HUB ?? '').trim();
  const code = (env.COUNTERLINK_JOIN_CODE ?? '').trim();
  if (address === '' && code === '') return undefined;
  if (address === '' || code === '') return { error: 'Set both COUNTERLINK_JOIN_HUB (the hub’s address) and COUNTERLINK_JOIN_CODE (the pairing code the hub shows).' };
  const name = (env.COUNTERLINK_JOIN_NAME ?? '').trim().slice(0, 120) || defaultName.slice(0, 120) || 'Till';
  return { address, code, name };
}

/** What a pairing is kept as: the machine is a counter of that hub from now on (token sealed). */
export function joinedSettings(origin: string, paired: PairedDevice, sealedToken: StoredSecret): HubSettings {
  return {
    role: 'counter',
    joined: { url: origin, deviceId: paired.device.id, name: paired.device.name, pointOfSaleId: paired.device.pointOfSaleId, token: sealedToken },
  };
}

/** A pairing failure in words for the error box at start. */
export function describePairFailure(reason: Extract<PairResult, { ok: false }>['reason'], retryAfterSeconds?: number): string {
  switch (reason) {
    case 'address':
      return 'The hub’s address is not valid. Type it as shown on the hub, e.g. 192.168.1.20:4780.';
    case 'unreachable':
      return 'The hub cannot be reached. Check that it is running and on the same network.';
    case 'code-invalid':
      return 'The pairing code is unknown, used or expired. Make a new one on the hub (Settings → Staff & devices).';
    case 'rate-limited':
      return `Too many pairing attempts. Try again in ${retryAfterSeconds ?? 60} s.`;
    case 'wrong-role':
      return 'That code pairs a customer display. Make a code for a till (counter) on the hub.';
    case 'not-a-hub':
      return 'That address does not answer like a Counterlink hub.';
  }
}

export interface HubWatchDeps {
  probe(): Promise<'ok' | 'unreachable' | 'revoked'>;
  now(): number;
  /** The hub's state changed (unreachable, back, or this till was revoked). */
  onChange(state: Reachability['state'] | 'revoked', since: number): void;
}

/**
 * Watches a joined counter's hub: one probe per `tick()` (the main process calls it on a timer),
 * offline after two failures in a row, online at the first success; a revoked token is said
 * once. Returns what was shown after the tick.
 */
export class HubWatch {
  private state: Reachability;
  private revoked = false;
  private busy = false;

  constructor(private readonly deps: HubWatchDeps) {
    this.state = initialReachability(deps.now());
  }

  get current(): Reachability['state'] | 'revoked' {
    return this.revoked ? 'revoked' : this.state.state;
  }

  async tick(): Promise<Reachability['state'] | 'revoked'> {
    if (this.busy || this.revoked) return this.current;
    this.busy = true;
    try {
      const result = await this.deps.probe();
      const now = this.deps.now();
      if (result === 'revoked') {
        this.revoked = true;
        this.deps.onChange('revoked', now);
        return 'revoked';
      }
      const next = nextReachability(this.state, result === 'ok', now);
      this.state = { state: next.state, since: next.since, failures: next.failures };
      if (next.changed) this.deps.onChange(next.state, next.since);
      return next.state;
    } finally {
      this.busy = false;
    }
  }
}

/** How often a joined counter probes its hub. */
export const HUB_PROBE_EVERY_MS = 5000;

/** The desktop notice when the hub goes away, comes back, or revoked this till. */
export function hubNotice(state: Reachability['state'] | 'revoked', hubUrl: string): { title: string; body: string; silent: boolean } {
  if (state === 'offline') return { title: 'Hub unreachable', body: `This till cannot reach the hub at ${hubUrl}. Charges wait until it is back.`, silent: false };
  if (state === 'online') return { title: 'Hub reachable again', body: `Connected to the hub at ${hubUrl}.`, silent: true };
  return { title: 'This till was removed from the hub', body: 'Make a new pairing code on the hub (Settings → Staff & devices) and join again.', silent: false };
}
