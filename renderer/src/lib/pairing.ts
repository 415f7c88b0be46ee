/**
 * A tablet or browser pairs with the hub by opening the QR of a pairing code (StaffDevices.tsx
 * encodes `${hub}/display/{posId}#pair=CODE` for a display, `${hub}/#pair=CODE` for a till). The
 * code rides in the fragment, which browsers never send to a server, and is dropped from the
 * address bar before anything else happens (so it is not in history, bookmarks or a screenshot).
 * The device token it buys is kept in localStorage: the tablet's only credential.
 */

export interface PairedDevice {
  token: string;
  deviceId: string;
  name: string;
  role: 'counter' | 'display';
  pointOfSaleId: string;
}

/** Where each kind of paired credential is kept (one of each per browser profile). */
export const DISPLAY_CREDENTIAL_KEY = 'counterlink.pairedDisplay';
export const COUNTER_CREDENTIAL_KEY = 'counterlink.pairedCounter';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The code in `#pair=CODE` (also `#pair=CODE&…`), or null. */
export function pairCodeFromHash(hash: string): string | null {
  const raw = hash.replace(/^#/, '');
  if (!raw) return null;
  const code = new URLSearchParams(raw).get('pair');
  return code && code.trim() ? code.trim().slice(0, 40) : null;
}

/** Reads `#pair=` off the address and removes it from the address bar at once (history.replaceState). */
export function takePairCode(loc: Pick<Location, 'hash' | 'pathname' | 'search' | 'protocol'> = location, hist: Pick<History, 'replaceState' | 'state'> = history): string | null {
  // Under file:// the hash is the router's path: there is no QR to arrive from.
  if (loc.protocol === 'file:') return null;
  const code = pairCodeFromHash(loc.hash);
  if (code !== null) hist.replaceState(hist.state, '', loc.pathname + loc.search);
  return code;
}

export function readCredential(storage: Storage | undefined, key: string): PairedDevice | undefined {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Partial<PairedDevice>;
    if (typeof v.token !== 'string' || typeof v.deviceId !== 'string' || typeof v.pointOfSaleId !== 'string') return undefined;
    return { token: v.token, deviceId: v.deviceId, name: typeof v.name === 'string' ? v.name : '', role: v.role === 'display' ? 'display' : 'counter', pointOfSaleId: v.pointOfSaleId };
  } catch {
    // storage off, or not ours: not paired
    return undefined;
  }
}

export function saveCredential(storage: Storage | undefined, key: string, device: PairedDevice): void {
  storage?.setItem(key, JSON.stringify(device));
}

export function forgetCredential(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // storage off: nothing kept
  }
}

/** Why pairing failed, for words on the screen (never the server's English). */
export type PairFailure =
  | { reason: 'invalid' }
  | { reason: 'rate-limited'; retryAfterSeconds: number }
  | { reason: 'unreachable' }
  | { reason: 'failed'; status: number; type: string | null };

export type PairResult = ({ ok: true } & PairedDevice) | ({ ok: false } & PairFailure);

/** `POST /devices/pair {code, name}` on the hub (`base`: '' for the page's own server). */
export async function pairDevice(code: string, name: string, base = '', fetchImpl: typeof fetch = (i, o) => fetch(i, o)): Promise<PairResult> {
  let res: Response;
  try {
    res = await fetchImpl(`${base}/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code, name }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  const body = (await res.json().catch(() => null)) as {
    token?: unknown;
    device?: { id?: unknown; name?: unknown; role?: unknown; pointOfSaleId?: unknown };
    type?: unknown;
    retryAfterSeconds?: unknown;
  } | null;
  if (res.status === 201 && body && typeof body.token === 'string' && body.device && typeof body.device.id === 'string' && typeof body.device.pointOfSaleId === 'string') {
    return {
      ok: true,
      token: body.token,
      deviceId: body.device.id,
      name: typeof body.device.name === 'string' ? body.device.name : name,
      role: body.device.role === 'display' ? 'display' : 'counter',
      pointOfSaleId: body.device.pointOfSaleId,
    };
  }
  const type = typeof body?.type === 'string' ? body.type.split('/').pop()! : null;
  if (res.status === 401 || type === 'pairing-code-invalid') return { ok: false, reason: 'invalid' };
  if (res.status === 429) {
    const header = Number(res.headers.get('retry-after'));
    const seconds = typeof body?.retryAfterSeconds === 'number' ? body.retryAfterSeconds : Number.isFinite(header) && header > 0 ? header : 60;
    return { ok: false, reason: 'rate-limited', retryAfterSeconds: seconds };
  }
  if (res.status >= 500) return { ok: false, reason: 'unreachable' };
  return { ok: false, reason: 'failed', status: res.status, type };
}
