/**
 * The one object the Electron preload exposes to the renderer (`window.counterlink`; the
 * preload builds it `satisfies CounterlinkBridge`). Everything here is optional for the
 * renderer: in a plain browser (`npm run serve`) there is no bridge, the UI logs in with a
 * session cookie and calls the server with relative URLs.
 *
 * With a bridge the renderer calls `serverUrl` with `Authorization: Bearer apiKey` (the key is
 * never put into a URL). The desktop shell loads the pages from the app server itself
 * (`${serverUrl}/`, `${serverUrl}/display/${pointOfSaleId}`), so every request is same-origin.
 * From file:// routes would live in the hash (`index.html#/display/pos_…`); the Service API does
 * not allow other origins (no CORS), so that is not a supported way to run the staff UI.
 */
export interface CounterlinkBridge {
  /** Base of the app's HTTP server, e.g. `http://127.0.0.1:4780` (no trailing slash). */
  serverUrl: string;
  /** A staff API key for `Authorization: Bearer`, or a paired counter's device token (`cld_…`). */
  apiKey: string;
  /** `process.platform` of the desktop app. */
  platform?: string;
  /** Show (or with `visible: false` hide) the counter display window, optionally for another point of sale. */
  showOnDisplay?: (options?: ShowOnDisplayOptions) => Promise<CounterDisplayState>;
  /** Print this page, or another page of the app (`path`, e.g. the QR poster) in a hidden window. */
  print?: (options?: PrintOptions) => Promise<PrintResult>;
  /** Auto-update progress: called with the current state at once, then on every change. Returns an unsubscribe function. */
  onUpdateStatus?: (listener: (status: UpdateStatus) => void) => () => void;
  /** Restart into a downloaded update. */
  installUpdate?: () => Promise<unknown>;
  /** The screens the counter display can go on. */
  listDisplays?: () => Promise<DisplayInfo[]>;
  /** Put the counter display on this screen (null: automatic). */
  chooseDisplay?: (id: number | null) => Promise<DisplayInfo[]>;
  /**
   * Only in the first-start window of a new till (no server runs yet; `apiKey` is empty):
   * "Run this shop's hub here" or "Join a hub" (screens/FirstStart.tsx).
   */
  firstStart?: FirstStartBridge;
}

/** The first-start window's calls to the main process (electron/main/first-start.ts). */
export interface FirstStartBridge {
  /** Why the screen shows and the till's default name (the computer's). */
  info: () => Promise<FirstStartInfo>;
  /** Hubs found on the LAN: called with the current list at once, then on every change. Returns an unsubscribe function. */
  onHubs: (listener: (hubs: FoundHubInfo[]) => void) => () => void;
  /** Pairs this machine as a counter of the hub; on success the app goes on as that counter. */
  join: (request: JoinHubRequest) => Promise<JoinHubResult>;
  /** Starts the hub (server and database) on this machine. */
  runHubHere: () => Promise<void>;
}

export interface FirstStartInfo {
  /** `not-paired`: this till was a counter whose pairing is gone (revoked, or unreadable). */
  why: 'first-start' | 'not-paired';
  defaultName: string;
}

export interface FoundHubInfo {
  id: string;
  shopName: string;
  /** e.g. `http://192.168.1.20:4780` */
  origin: string;
}

export interface JoinHubRequest {
  /** Typed or picked: `192.168.1.20`, `192.168.1.20:4780`, `http://…`. */
  address: string;
  /** The 8-character code the hub shows (spaces, hyphens and case do not matter). */
  code: string;
  /** This till's name in the hub's device list. */
  name: string;
}

export type JoinFailure = 'address' | 'code-format' | 'name' | 'unreachable' | 'code-invalid' | 'rate-limited' | 'wrong-role' | 'not-a-hub' | 'busy';

export type JoinHubResult =
  | { ok: true; hub: { origin: string; name: string; pointOfSaleId: string } }
  | { ok: false; reason: JoinFailure; retryAfterSeconds?: number };

export interface ShowOnDisplayOptions {
  visible?: boolean;
  pointOfSaleId?: string;
}

export interface CounterDisplayState {
  visible: boolean;
  fullscreen: boolean;
  screenId: number;
  pointOfSaleId: string;
}

export interface PrintOptions {
  /** An absolute path on the app server, e.g. `/print/links/pl_…`; none: the calling page. */
  path?: string;
  /** Print to the default printer without the dialog. */
  silent?: boolean;
}

export type PrintResult = { ok: true } | { ok: false; error: string };

export interface DisplayInfo {
  id: number;
  label: string;
  width: number;
  height: number;
  primary: boolean;
  selected: boolean;
}

export type UpdateStatus =
  | { state: 'disabled'; reason: string }
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'available'; version: string }
  | { state: 'not-available'; checkedAt: string }
  | { state: 'downloading'; version: string | null; percent: number; transferred: number; total: number; bytesPerSecond: number }
  | { state: 'downloaded'; version: string }
  | { state: 'error'; message: string };

declare global {
  interface Window {
    counterlink?: CounterlinkBridge;
  }
}

/** How a paired device's token starts (core/devices.ts `DEVICE_TOKEN_PREFIX`; a unit test keeps the two equal). */
export const DEVICE_TOKEN_PREFIX = 'cld_';

/** The bridge's credential is a paired counter's token (a second till joined to a hub), not an API key. */
export function isDeviceCredential(bridge: Pick<CounterlinkBridge, 'apiKey'> | undefined): boolean {
  return bridge !== undefined && bridge.apiKey.startsWith(DEVICE_TOKEN_PREFIX);
}

export function getBridge(): CounterlinkBridge | undefined {
  if (typeof window === 'undefined') return undefined;
  const b = window.counterlink;
  return b && typeof b.serverUrl === 'string' && typeof b.apiKey === 'string' ? b : undefined;
}
