/**
 * The desktop app as electron-vite builds it (main + preload rebuilt here when a source is newer
 * than out/; the staff UI through renderer/ensure-built.ts, shared with the browser tests).
 *
 * 1. In a real Electron, driven by Playwright: start-up (both windows, the staff UI, /healthz),
 *    window security (isolation, sandbox, no Node, window.open and navigation denied,
 *    permissions, the bridge's argument checks), the counter display, single instance and a
 *    clean shutdown. Needs the Electron binary (node_modules/electron/dist); where it cannot be
 *    downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD) this part skips. better-sqlite3 must be built for
 *    Electron: `npx electron-builder install-app-deps` (then `npm rebuild better-sqlite3` before
 *    the Node tests).
 * 2. The same built main process (out/main/index.js) in plain Node against a recording fake of
 *    the `electron` module: runs everywhere, and checks the wiring the unit tests cannot (the
 *    embedded server, windows and their URLs, IPC sender checks, permission, navigation and CSP
 *    handlers, payment notifications, the settings file, clean shutdown on quit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { ensureUiBuilt } from '../../renderer/ensure-built';

const ROOT = resolve(import.meta.dirname, '../..');
const ELECTRON_DIR = join(ROOT, 'node_modules/electron');

/** The Electron executable, found without require('electron') (which would try to download it). */
function electronBinary(): string | undefined {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(join(ELECTRON_DIR, 'dist')) || !existsSync(pathFile)) return undefined;
  const exe = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : undefined;
}

const ELECTRON = electronBinary();
if (!ELECTRON) console.warn('Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); skipping Electron e2e');

const BUILD_OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs'].map((f) => join(ROOT, f));
const BUILD_INPUTS = ['electron', 'core', 'server', 'resources', 'electron.vite.config.ts', 'package.json'].map((f) => join(ROOT, f));

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * Main + preload with electron-vite unless every output is newer than every source; the staff UI
 * (out/renderer) through the renderer's own build-once helper, which the browser tests share.
 */
async function buildIfStale(): Promise<void> {
  if (process.env.COUNTERLINK_E2E_SKIP_BUILD === '1') return;
  const built = BUILD_OUTPUTS.every(existsSync) ? Math.min(...BUILD_OUTPUTS.map((f) => statSync(f).mtimeMs)) : 0;
  const sources = Math.max(...BUILD_INPUTS.filter(existsSync).map(newestMtime));
  if (built <= sources) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, COUNTERLINK_SKIP_RENDERER_BUILD: '1' },
    });
  }
  await ensureUiBuilt();
}

beforeAll(buildIfStale, 240_000);

/** Chromium switches for CI: no display server -> headless ozone; root -> no OS sandbox (web preferences stay sandboxed). */
function ciSwitches(): string[] {
  const args: string[] = [];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) args.push('--ozone-platform=headless');
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

function appEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The built UI, served by the app itself; and a real Electron, not Node.
    if (v !== undefined && k !== 'ELECTRON_RENDERER_URL' && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  }
  return {
    ...env,
    COUNTERLINK_DATA_DIR: dataDir,
    COUNTERLINK_PORT: '0',
    COUNTERLINK_HOST: '127.0.0.1',
    COUNTERLINK_UPDATES: 'off',
    COUNTERLINK_LOG_LEVEL: 'warn',
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!ELECTRON)('desktop app (Electron)', () => {
  let electronApp: ElectronApplication;
  let staff: Page;
  let display: Page;
  let origin: string;
  let dataDir: string;
  const output: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterlink-electron-'));
    // This machine was set up as the hub (a new install would show the first-start screen).
    writeFileSync(join(dataDir, 'desktop-settings.json'), JSON.stringify({ hub: { role: 'hub', joined: null } }));
    electronApp = await _electron.launch({ executablePath: ELECTRON!, args: [...ciSwitches(), ROOT], cwd: ROOT, env: appEnv(dataDir), timeout: 60_000 });
    electronApp.process().stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    electronApp.process().stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    try {
      const pages = await until(
        'the staff and display windows',
        () => {
          const windows = electronApp.windows();
          const s = windows.find((w) => /^http:\/\/127\.0\.0\.1:\d+\/$/.test(w.url()));
          const d = windows.find((w) => /\/display\/pos_/.test(w.url()));
          return s && d ? { s, d } : undefined;
        },
        45_000,
      );
      staff = pages.s;
      display = pages.d;
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- app output ---\n${output.join('')}`);
    }
    origin = new URL(staff.url()).origin;
    await staff.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, undefined, { timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await electronApp?.close().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('start-up', () => {
    it('opens the staff window on the app server and the counter display', async () => {
      expect(await staff.title()).toMatch(/Counterlink/);
      expect(new URL(display.url()).origin).toBe(origin);
      const count = await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
      expect(count).toBe(2);
    });

    it('the embedded server answers /healthz', async () => {
      const res = await fetch(`${origin}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    });

    it('the staff window gets its server address and a working staff key through the bridge', async () => {
      const bridge = await staff.evaluate(() => ({
        serverUrl: window.counterlink?.serverUrl,
        apiKey: window.counterlink?.apiKey,
        platform: window.counterlink?.platform,
      }));
      expect(bridge.serverUrl).toBe(origin);
      expect(bridge.apiKey).toMatch(/^clk_/);
      expect(bridge.platform).toBe(process.platform);
      const res = await fetch(`${origin}/api/v1/points-of-sale`, { headers: { Authorization: `Bearer ${bridge.apiKey}` } });
      expect(res.status).toBe(200);
      // Kept sealed (or, without a keychain, at least present) in the desktop settings file.
      const settings = JSON.parse(readFileSync(join(dataDir, 'desktop-settings.json'), 'utf8')) as { staffKey: { format: string; data: string } };
      expect(['safeStorage', 'plain']).toContain(settings.staffKey.format);
      if (settings.staffKey.format === 'safeStorage') expect(settings.staffKey.data).not.toContain(bridge.apiKey!);
    });
  });

  describe('window security', () => {
    it('every window: context isolation, sandbox, no Node integration, web security', async () => {
      const prefs = await electronApp.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => {
          const p = (w.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null }).getLastWebPreferences?.() ?? null;
          return { url: w.webContents.getURL(), p };
        }),
      );
      expect(prefs).toHaveLength(2);
      for (const { p } of prefs) {
        expect(p).not.toBeNull();
        expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
      }
    });

    it('no Node in the page: require, process, module are undefined', async () => {
      for (const page of [staff, display]) {
        const globals = await page.evaluate(() => ({
          require: typeof (globalThis as Record<string, unknown>).require,
          process: typeof (globalThis as Record<string, unknown>).process,
          module: typeof (globalThis as Record<string, unknown>).module,
          ipcRenderer: typeof (globalThis as Record<string, unknown>).ipcRenderer,
        }));
        expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', ipcRenderer: 'undefined' });
      }
    });

    it('the customer-facing display has no bridge and no staff key', async () => {
      expect(await display.evaluate(() => typeof window.counterlink)).toBe('undefined');
    });

    it('window.open is denied, for other origins and for the app itself', async () => {
      const opened = await staff.evaluate(() => [window.open('https://example.com/') === null, window.open('/') === null]);
      expect(opened).toEqual([true, true]);
      await new Promise((r) => setTimeout(r, 500));
      expect(await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(2);
    });

    it('navigation to another origin (or to a file) is blocked', async () => {
      const before = staff.url();
      await staff.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await new Promise((r) => setTimeout(r, 1000));
      expect(staff.url()).toBe(before);
      await staff.evaluate(() => {
        window.location.href = 'file:///etc/passwd';
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(staff.url()).toBe(before);
    });

    it('permissions: notifications yes, everything else no', async () => {
      const states = await staff.evaluate(async () => {
        const q = async (name: string) => {
          try {
            return (await navigator.permissions.query({ name: name as PermissionName })).state;
          } catch {
            return 'unsupported';
          }
        };
        return { notifications: await q('notifications'), geolocation: await q('geolocation'), camera: await q('camera') };
      });
      expect(states.notifications).toBe('granted');
      expect(states.geolocation).toBe('denied');
      expect(['denied', 'unsupported']).toContain(states.camera);
    });

    it('CSP: no eval in app pages', async () => {
      const result = await staff.evaluate(() => {
        try {
          return String(eval('1 + 1'));
        } catch {
          return 'blocked';
        }
      });
      expect(result).toBe('blocked');
    });

    it('the bridge rejects malformed arguments', async () => {
      const errors = await staff.evaluate(async () => {
        const b = window.counterlink!;
        const settle = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => String(e));
        return [
          await settle(b.chooseDisplay!('1' as never)),
          await settle(b.print!({ path: '//evil.test/' })),
          await settle(b.showOnDisplay!({ pointOfSaleId: '../x' })),
        ];
      });
      expect(errors[0]).toMatch(/integer or null/);
      expect(errors[1]).toMatch(/absolute path/);
      expect(errors[2]).toMatch(/point of sale/);
      // One path raises a payment's OS notification, the main process's: the page has none.
      expect(await staff.evaluate(() => 'notify' in window.counterlink!)).toBe(false);
    });
  });

  describe('counter display', () => {
    it('shows the default point of sale’s display page', async () => {
      const apiKey = await staff.evaluate(() => window.counterlink!.apiKey);
      const res = await fetch(`${origin}/api/v1/points-of-sale`, { headers: { Authorization: `Bearer ${apiKey}` } });
      const body = (await res.json()) as { data?: { id: string; isDefault: boolean }[] } | { id: string; isDefault: boolean }[];
      const list = Array.isArray(body) ? body : (body.data ?? []);
      const def = list.find((p) => p.isDefault)!;
      expect(display.url()).toBe(`${origin}/display/${def.id}`);
    });

    it('staff can hide and show it; the choice is remembered', async () => {
      const hidden = await staff.evaluate(() => window.counterlink!.showOnDisplay!({ visible: false }));
      expect(hidden.visible).toBe(false);
      const visibleInMain = async () =>
        electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().includes('/display/'))?.isVisible());
      expect(await visibleInMain()).toBe(false);
      expect(JSON.parse(readFileSync(join(dataDir, 'desktop-settings.json'), 'utf8')).display.visible).toBe(false);
      const shown = await staff.evaluate(() => window.counterlink!.showOnDisplay!());
      expect(shown.visible).toBe(true);
      expect(await until('the display to show', async () => ((await visibleInMain()) ? true : undefined), 5000)).toBe(true);
    });

    it('lists the screens and takes a choice', async () => {
      const screens = await staff.evaluate(() => window.counterlink!.listDisplays!());
      expect(screens.length).toBeGreaterThanOrEqual(1);
      expect(screens.filter((s) => s.selected)).toHaveLength(1);
      const after = await staff.evaluate((id) => window.counterlink!.chooseDisplay!(id), screens[0]!.id);
      expect(after.find((s) => s.selected)?.id).toBe(screens[0]!.id);
      expect(JSON.parse(readFileSync(join(dataDir, 'desktop-settings.json'), 'utf8')).display.screenId).toBe(screens[0]!.id);
      await staff.evaluate(() => window.counterlink!.chooseDisplay!(null));
    });

    it('updates are off in an unpackaged app, and say so', async () => {
      const status = await staff.evaluate(
        () => new Promise((resolve) => window.counterlink!.onUpdateStatus!((s) => resolve(s))),
      );
      expect(status).toMatchObject({ state: 'disabled' });
    });
  });

  describe('single instance and shutdown', () => {
    it('a second launch hands over to the first and exits', async () => {
      const second = spawn(ELECTRON!, [...ciSwitches(), ROOT], { cwd: ROOT, env: appEnv(dataDir), stdio: 'ignore' });
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          second.kill();
          reject(new Error('the second instance did not exit'));
        }, 20_000);
        second.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      expect(await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(2);
    });

    it('quitting closes the server cleanly', async () => {
      await electronApp.close();
      await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
    });
  });
});

// ---- 2. the built main process on a fake Electron ------------------------------------------

/**
 * A recording stand-in for the parts of the `electron` module the main process uses. Windows
 * "load" their URL with fetch, so the embedded server really answers. No backticks or
 * template placeholders in here: it is written to a file as it is.
 */
const FAKE_ELECTRON = String.raw`
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const state = { windows: [], notifications: [], trays: [], errors: [], opened: [], printed: [], beeps: 0, quitCalls: 0, quitted: false, exitCode: null,
  handlers: new Map(), listeners: new Map(), session: {} };

function cancellable(extra) {
  return Object.assign({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } }, extra);
}

class App extends EventEmitter {
  isPackaged = false;
  paths = { appData: process.env.FAKE_APPDATA, temp: process.env.FAKE_APPDATA };
  setName(name) { this.name = name; }
  getName() { return this.name; }
  setPath(key, value) { this.paths[key] = value; if (key === 'userData') this.paths.logs = join(value, 'logs'); }
  getPath(key) { if (!(key in this.paths)) throw new Error('no path ' + key); return this.paths[key]; }
  setAppUserModelId() {}
  enableSandbox() { state.sandboxAll = true; }
  requestSingleInstanceLock() { return true; }
  whenReady() { return Promise.resolve(); }
  getLocale() { return 'en-US'; }
  quit() {
    state.quitCalls++;
    const event = cancellable();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) { state.quitted = true; this.emit('quit'); }
  }
  exit(code) { state.exitCode = code; }
}
export const app = new App();

class WebContents extends EventEmitter {
  constructor() { super(); this.url = ''; this.destroyed = false; this.sent = []; this.mainFrame = { url: '', parent: null }; this.session = session.defaultSession; }
  setWindowOpenHandler(handler) { this.windowOpenHandler = handler; }
  getURL() { return this.url; }
  isDestroyed() { return this.destroyed; }
  send(channel, ...args) { this.sent.push([channel, ...args]); }
  print(options, callback) { state.printed.push({ url: this.url, options }); callback(true, ''); }
  reload() {}
}

export class BrowserWindow extends EventEmitter {
  static all = [];
  static getAllWindows() { return BrowserWindow.all.filter((w) => !w.destroyed); }
  constructor(options = {}) {
    super();
    this.options = options;
    this.visible = false;
    this.destroyed = false;
    this.fullscreen = !!options.fullscreen;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.webContents = new WebContents();
    BrowserWindow.all.push(this);
    state.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    try {
      const res = await fetch(url);
      this.loadStatus = res.status;
      this.loadCsp = res.headers.get('content-security-policy');
    } catch (err) {
      this.loadStatus = String(err);
    }
    setImmediate(() => this.emit('ready-to-show'));
  }
  show() { this.visible = true; }
  showInactive() { this.visible = true; this.inactive = true; }
  hide() { this.visible = false; }
  isVisible() { return this.visible && !this.destroyed; }
  isMinimized() { return false; }
  restore() {}
  focus() {}
  setBounds(bounds) { this.bounds = { ...this.bounds, ...bounds }; }
  setFullScreen(flag) { this.fullscreen = flag; }
  isFullScreen() { return this.fullscreen; }
  close() { const event = cancellable(); this.emit('close', event); if (!event.defaultPrevented) this.destroy(); }
  destroy() { this.destroyed = true; this.webContents.destroyed = true; this.emit('closed'); }
  isDestroyed() { return this.destroyed; }
}

const displays = JSON.parse(process.env.FAKE_SCREENS);
class Screen extends EventEmitter {
  getAllDisplays() { return displays; }
  getPrimaryDisplay() { return displays[0]; }
}
export const screen = new Screen();

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) { state.session.request = handler; },
    setPermissionCheckHandler(handler) { state.session.check = handler; },
    setDevicePermissionHandler(handler) { state.session.device = handler; },
    webRequest: { onHeadersReceived(handler) { state.session.headers = handler; } },
  },
};

export const ipcMain = {
  handle(channel, fn) { if (state.handlers.has(channel)) throw new Error('second handler for ' + channel); state.handlers.set(channel, fn); },
  removeHandler(channel) { state.handlers.delete(channel); },
  on(channel, fn) { state.listeners.set(channel, [...(state.listeners.get(channel) ?? []), fn]); },
  removeAllListeners(channel) { state.listeners.delete(channel); },
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from('sealed:' + Buffer.from(text).toString('hex')),
  decryptString: (buffer) => Buffer.from(buffer.toString().slice(7), 'hex').toString(),
};

export class Notification extends EventEmitter {
  static isSupported() { return true; }
  constructor(options) { super(); this.options = options; }
  show() { state.notifications.push(this.options); }
}

export const shell = { openExternal: async (url) => { state.opened.push(url); }, beep: () => { state.beeps++; } };
export const dialog = { showErrorBox: (title, message) => { state.errors.push({ title, message }); } };
export const nativeImage = {
  createFromPath: (path) => ({ path, exists: existsSync(path), reps: [], addRepresentation(r) { this.reps.push(r.scaleFactor); }, setTemplateImage() {} }),
};
export class Tray extends EventEmitter {
  constructor(image) { super(); this.image = image; state.trays.push(this); }
  setToolTip(text) { this.tooltip = text; }
  setContextMenu(menu) { this.menu = menu; }
  isDestroyed() { return !!this.destroyed; }
  destroy() { this.destroyed = true; }
}
export const Menu = { buildFromTemplate: (template) => ({ template }) };
export default { app, BrowserWindow, screen, session, ipcMain, safeStorage, Notification, shell, dialog, nativeImage, Tray, Menu };
`;

/** Loads the built main process, then answers the test's requests about (and to) the fake. */
const FAKE_RUNNER = String.raw`
import { pathToFileURL } from 'node:url';
const { state, app, screen } = await import('electron');
const errors = [];
process.on('unhandledRejection', (e) => errors.push(String(e && e.stack || e)));
await import(pathToFileURL(process.env.FAKE_MAIN).href);

const kindOf = (w) => (String(w.options.title ?? '').includes('Set up') ? 'first-start' : w.webContents.url.includes('/display/') ? 'display' : w.options.show === false && !w.webContents.url.endsWith('/') && w.options.webPreferences && !w.options.title ? 'print' : 'staff');
const windowOf = (kind) => {
  const w = state.windows.find((x) => !x.destroyed && kindOf(x) === kind);
  if (!w) throw new Error('no ' + kind + ' window');
  return w;
};
const frameEvent = (w, frameUrl, subframe) => ({ sender: w.webContents, senderFrame: { url: frameUrl ?? w.webContents.url, parent: subframe ? {} : null } });

const ops = {
  state: () => ({
    windows: state.windows.map((w) => ({ kind: kindOf(w), url: w.webContents.url, visible: w.isVisible(), inactive: !!w.inactive, destroyed: w.destroyed, fullscreen: w.fullscreen,
      bounds: w.bounds, options: { title: w.options.title, frame: w.options.frame, fullscreen: w.options.fullscreen, webPreferences: w.options.webPreferences },
      loadStatus: w.loadStatus, loadCsp: w.loadCsp, sent: w.webContents.sent })),
    notifications: state.notifications, errors: state.errors, opened: state.opened, printed: state.printed,
    trays: state.trays.map((t) => ({ tooltip: t.tooltip, destroyed: !!t.destroyed, icon: t.image, labels: (t.menu?.template ?? []).map((i) => i.label ?? '-') })),
    channels: [...state.handlers.keys()], syncChannels: [...state.listeners.keys()],
    sessionHandlers: Object.keys(state.session), sandboxAll: !!state.sandboxAll, quitCalls: state.quitCalls, quitted: state.quitted, exitCode: state.exitCode, unhandled: errors,
  }),
  invoke: async (kind, channel, args, frameUrl, subframe) => {
    const handler = state.handlers.get(channel);
    if (!handler) throw new Error('no handler for ' + channel);
    return await handler(frameEvent(windowOf(kind), frameUrl, subframe), ...args);
  },
  sendSync: (kind, channel, frameUrl) => {
    const event = { ...frameEvent(windowOf(kind), frameUrl), returnValue: undefined };
    for (const fn of state.listeners.get(channel) ?? []) fn(event);
    return event.returnValue;
  },
  permission: async (kind, permission, url) => {
    const w = windowOf(kind);
    const requested = await new Promise((resolve) => state.session.request(w.webContents, permission, resolve, { requestingUrl: url, isMainFrame: true }));
    const checked = state.session.check(w.webContents, permission, new URL(url).origin, {});
    return { requested, checked };
  },
  navigate: (kind, url, eventName) => {
    const event = { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    windowOf(kind).webContents.emit(eventName ?? 'will-navigate', event, url);
    return { blocked: event.defaultPrevented };
  },
  windowOpen: (kind, url) => windowOf(kind).webContents.windowOpenHandler({ url }),
  headers: (url, resourceType, responseHeaders) =>
    new Promise((resolve) => state.session.headers({ url, resourceType, responseHeaders }, (r) => resolve(r))),
  closeWindow: (kind) => { const w = windowOf(kind); w.close(); return { destroyed: w.destroyed, visible: w.isVisible() }; },
  screensChanged: async () => { screen.emit('display-removed'); await new Promise((r) => setTimeout(r, 500)); },
  quit: async () => {
    app.quit();
    const end = Date.now() + 10000;
    while (!state.quitted && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return { quitted: state.quitted, quitCalls: state.quitCalls };
  },
};

process.on('message', async ({ id, op, args }) => {
  try {
    process.send({ id, result: await ops[op](...args) });
  } catch (err) {
    process.send({ id, error: String(err && err.message || err) });
  }
});
process.send({ ready: true });
`;

const HOOKS = String.raw`
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: process.env.FAKE_ELECTRON_URL, shortCircuit: true };
  return next(specifier, context);
}
`;

interface FakeWindow {
  kind: 'staff' | 'display' | 'print' | 'first-start';
  url: string;
  visible: boolean;
  inactive: boolean;
  destroyed: boolean;
  fullscreen: boolean;
  bounds: { x: number; y: number; width: number; height: number };
  options: { title?: string; frame?: boolean; fullscreen?: boolean; webPreferences?: Record<string, unknown> };
  loadStatus: number | string | undefined;
  loadCsp: string | null;
  sent: unknown[][];
}

interface FakeState {
  windows: FakeWindow[];
  notifications: { title: string; body: string; silent: boolean; icon: string }[];
  errors: { title: string; message: string }[];
  opened: string[];
  printed: { url: string; options: unknown }[];
  trays: { tooltip: string; destroyed: boolean; icon: { path: string; exists: boolean; reps: number[] }; labels: string[] }[];
  channels: string[];
  syncChannels: string[];
  sessionHandlers: string[];
  sandboxAll: boolean;
  quitCalls: number;
  quitted: boolean;
  exitCode: number | null;
  unhandled: string[];
}

describe('desktop main process (built) on a fake Electron', () => {
  let child: ChildProcess;
  let firstStart: { window: FakeWindow; channels: string[]; staffWindows: number };
  let firstStartConfig: unknown;
  let firstStartRefused: unknown;
  let firstStartInfo: unknown;
  let firstStartBadJoin: unknown;
  let firstStartForeign: unknown;
  let dir: string;
  const output: string[] = [];
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  function call<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    const id = ++seq;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args });
    });
  }
  const state = (): Promise<FakeState> => call<FakeState>('state');
  const win = async (kind: FakeWindow['kind']): Promise<FakeWindow> => {
    const w = (await state()).windows.find((x) => x.kind === kind && !x.destroyed);
    if (!w) throw new Error(`no ${kind} window`);
    return w;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'counterlink-fake-electron-'));
    const files = { fake: join(dir, 'fake-electron.mjs'), runner: join(dir, 'runner.mjs'), hooks: join(dir, 'hooks.mjs'), register: join(dir, 'register.mjs') };
    writeFileSync(files.fake, FAKE_ELECTRON);
    writeFileSync(files.runner, FAKE_RUNNER);
    writeFileSync(files.hooks, HOOKS);
    writeFileSync(files.register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(files.hooks).href)});\n`);
    const screens = [
      { id: 1, label: 'Built-in', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
      { id: 2, label: 'Customer', bounds: { x: 1920, y: 0, width: 1280, height: 800 }, workArea: { x: 1920, y: 0, width: 1280, height: 800 } },
    ];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RENDERER_URL' && !k.startsWith('COUNTERLINK_')) env[k] = v;
    child = fork(files.runner, [], {
      cwd: ROOT,
      execArgv: ['--import', pathToFileURL(files.register).href],
      env: {
        ...env,
        FAKE_ELECTRON_URL: pathToFileURL(files.fake).href,
        FAKE_MAIN: join(ROOT, 'out/main/index.js'),
        FAKE_APPDATA: join(dir, 'appdata'),
        FAKE_SCREENS: JSON.stringify(screens),
        COUNTERLINK_PORT: '0',
        COUNTERLINK_HOST: '127.0.0.1',
        COUNTERLINK_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
        if (m.ready) return resolve();
        const p = pending.get(m.id!);
        pending.delete(m.id!);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.result);
      });
      child.on('exit', (code) => reject(new Error(`the main process exited (${code})\n${output.join('')}`)));
    });
    // A new install: the first-start window, from a page server of its own, with the
    // first-start bridge only; "Run this shop's hub here" then starts the hub as before.
    firstStart = await until(
      'the first-start window',
      async () => {
        const s = await state();
        if (s.errors.length) throw new Error(`start-up failed: ${JSON.stringify(s.errors)}\n${output.join('')}`);
        const w = s.windows.find((x) => x.kind === 'first-start' && x.loadStatus !== undefined && x.visible);
        return w ? { window: w, channels: s.channels, staffWindows: s.windows.filter((x) => x.kind !== 'first-start').length } : undefined;
      },
      30_000,
    );
    firstStartConfig = await call('sendSync', 'first-start', 'counterlink:get-config');
    firstStartRefused = await call('sendSync', 'first-start', 'counterlink:get-config', 'https://evil.test/');
    firstStartInfo = await call('invoke', 'first-start', 'counterlink:first-start-info', []);
    firstStartBadJoin = await call('invoke', 'first-start', 'counterlink:first-start-join', [{ address: 'x', code: 'y' }]).catch((e: Error) => e.message);
    firstStartForeign = await call('invoke', 'first-start', 'counterlink:first-start-hub-here', [], 'https://evil.test/').catch((e: Error) => e.message);
    await call('invoke', 'first-start', 'counterlink:first-start-hub-here', []);
    await until(
      'both windows loaded and shown',
      async () => {
        const s = await state();
        if (s.errors.length) throw new Error(`start-up failed: ${JSON.stringify(s.errors)}\n${output.join('')}`);
        const ready = s.windows.filter((w) => w.loadStatus !== undefined && w.visible);
        return ready.length >= 2 ? true : undefined;
      },
      30_000,
    );
  }, 120_000);

  afterAll(() => {
    child?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a new install first shows the first-start window (no server yet), then runs the hub here when chosen', async () => {
    const w = firstStart.window;
    expect(w.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(w.loadStatus).toBe(200);
    expect(w.loadCsp).toContain("connect-src 'self'");
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(firstStart.staffWindows).toBe(0);
    expect(firstStart.channels.sort()).toEqual(['counterlink:first-start-get-hubs', 'counterlink:first-start-hub-here', 'counterlink:first-start-info', 'counterlink:first-start-join']);
    expect(firstStartConfig).toEqual({ serverUrl: new URL(w.url).origin, apiKey: '', platform: process.platform, firstStart: true });
    expect(firstStartRefused).toBeNull();
    expect(firstStartInfo).toMatchObject({ why: 'first-start' });
    expect(firstStartBadJoin).toMatch(/name must be a string/);
    expect(firstStartForeign).toMatch(/Not allowed/);
    const s = await state();
    expect(s.windows.find((x) => x.kind === 'first-start')?.destroyed).toBe(true);
    expect(s.channels.some((c) => c.includes('first-start'))).toBe(false);
    // The page server is gone with the window.
    await expect(fetch(w.url)).rejects.toThrow();
    const settings = JSON.parse(readFileSync(join(dir, 'appdata/Counterlink/desktop-settings.json'), 'utf8')) as { hub: unknown };
    expect(settings.hub).toEqual({ role: 'hub', joined: null });
  });

  it('starts the embedded app and opens the staff window on its UI and the display full screen on the second screen', async () => {
    const s = await state();
    expect(s.errors).toEqual([]);
    expect(s.unhandled).toEqual([]);
    const staff = await win('staff');
    const display = await win('display');
    expect(staff.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(staff.loadStatus).toBe(200);
    expect(staff.options.webPreferences?.preload).toBe(join(ROOT, 'out/preload/index.cjs'));
    expect(existsSync(staff.options.webPreferences!.preload as string)).toBe(true);
    expect(display.url).toMatch(new RegExp(`^${new URL(staff.url).origin}/display/pos_[A-Za-z0-9]+$`));
    expect(display.loadStatus).toBe(200);
    expect(display.options.webPreferences).not.toHaveProperty('preload');
    expect(display).toMatchObject({ fullscreen: true, inactive: true, bounds: { x: 1920, y: 0, width: 1280, height: 800 } });
    expect(display.options.frame).toBe(false);
    const health = await fetch(`${new URL(staff.url).origin}/healthz`);
    expect(health.status).toBe(200);
  });

  it('every window is hardened', async () => {
    for (const w of (await state()).windows) {
      expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
      expect(w.options.webPreferences?.devTools).toBe(true); // unpackaged = development
    }
    expect((await state()).sessionHandlers.sort()).toEqual(['check', 'device', 'headers', 'request']);
    expect((await state()).sandboxAll).toBe(true);
  });

  it('hands the staff key to app pages only, and the key works', async () => {
    const staff = await win('staff');
    const config = await call<{ serverUrl: string; apiKey: string; platform: string }>('sendSync', 'staff', 'counterlink:get-config');
    expect(config.serverUrl).toBe(new URL(staff.url).origin);
    expect(config.apiKey).toMatch(/^clk_/);
    expect(config.platform).toBe(process.platform);
    expect(await call('sendSync', 'staff', 'counterlink:get-config', 'https://evil.test/')).toBeNull();
    const res = await fetch(`${config.serverUrl}/api/v1/points-of-sale`, { headers: { Authorization: `Bearer ${config.apiKey}` } });
    expect(res.status).toBe(200);
    const settings = JSON.parse(readFileSync(join(dir, 'appdata/Counterlink/desktop-settings.json'), 'utf8')) as { staffKey: { format: string; data: string } };
    expect(settings.staffKey.format).toBe('safeStorage');
    expect(settings.staffKey.data).not.toContain(config.apiKey);
  });

  it('IPC: checks the sender and the arguments', async () => {
    await expect(call('invoke', 'staff', 'counterlink:list-displays', [], 'https://evil.test/')).rejects.toThrow(/Not allowed/);
    await expect(call('invoke', 'staff', 'counterlink:list-displays', [], undefined, true)).rejects.toThrow(/Not allowed/);
    await expect(call('invoke', 'display', 'counterlink:list-displays', [])).rejects.toThrow(/Not allowed/);
    // The page raises no OS notifications: the main process's PaymentNotifier is the one path.
    await expect(call('invoke', 'staff', 'counterlink:notify', [{ title: 'x' }])).rejects.toThrow(/no handler/);
    await expect(call('invoke', 'staff', 'counterlink:choose-display', ['2'])).rejects.toThrow(/integer or null/);
    expect(await call('invoke', 'staff', 'counterlink:get-update-status', [])).toEqual({ state: 'disabled', reason: 'Updates are off in development.' });
  });

  it('IPC: screens, hiding and showing the display, printing', async () => {
    const screens = await call<{ id: number; selected: boolean; primary: boolean }[]>('invoke', 'staff', 'counterlink:list-displays', []);
    expect(screens.map((x) => [x.id, x.primary, x.selected])).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
    // On the staff's own screen: rebuilt as a normal, framed window.
    await call('invoke', 'staff', 'counterlink:choose-display', [1]);
    const windowed = await until('the windowed display', async () => {
      const w = (await state()).windows.find((x) => x.kind === 'display' && !x.destroyed && x.visible);
      return w && !w.fullscreen ? w : undefined;
    });
    expect(windowed.options.frame).toBe(true);
    expect(windowed.bounds).toEqual({ x: 1920 - 800 - 24, y: 1040 - 600 - 24, width: 800, height: 600 });
    const settingsFile = join(dir, 'appdata/Counterlink/desktop-settings.json');
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).display.screenId).toBe(1);

    const hidden = await call<{ visible: boolean }>('invoke', 'staff', 'counterlink:show-on-display', [{ visible: false }]);
    expect(hidden.visible).toBe(false);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).display.visible).toBe(false);
    const shown = await call<{ visible: boolean; fullscreen: boolean; screenId: number }>('invoke', 'staff', 'counterlink:show-on-display', []);
    expect(shown).toMatchObject({ visible: true, fullscreen: false, screenId: 1 });
    await expect(call('invoke', 'staff', 'counterlink:show-on-display', [{ pointOfSaleId: 'pos_doesnotexist' }])).rejects.toThrow(/Unknown point of sale/);

    await call('invoke', 'staff', 'counterlink:choose-display', [null]);
    await until('the display back on the customer screen', async () => ((await win('display')).fullscreen ? true : undefined));

    expect(await call('invoke', 'staff', 'counterlink:print', [])).toEqual({ ok: true });
    expect(await call('invoke', 'staff', 'counterlink:print', [{ path: '/print/links/pl_x', silent: true }])).toEqual({ ok: true });
    const printed = (await state()).printed;
    expect(printed.map((p) => new URL(p.url).pathname)).toEqual(['/', '/print/links/pl_x']);
  });

  it('closing a window hides it; the app keeps running', async () => {
    expect(await call('closeWindow', 'staff')).toEqual({ destroyed: false, visible: false });
    const staff = (await state()).windows.find((w) => w.kind === 'staff')!;
    expect(staff.destroyed).toBe(false);
  });

  it('navigation, new windows, permissions and CSP follow the policy', async () => {
    const staff = await win('staff');
    const origin = new URL(staff.url).origin;
    expect(await call('navigate', 'staff', 'https://evil.test/')).toEqual({ blocked: true });
    expect(await call('navigate', 'staff', 'file:///etc/passwd')).toEqual({ blocked: true });
    expect(await call('navigate', 'staff', 'https://evil.test/', 'will-redirect')).toEqual({ blocked: true });
    expect(await call('navigate', 'staff', `${origin}/payments`)).toEqual({ blocked: false });
    expect(await call('windowOpen', 'staff', 'https://evil.test/')).toEqual({ action: 'deny' });
    expect(await call('windowOpen', 'staff', `${origin}/api/docs`)).toEqual({ action: 'deny' });
    expect(await call('windowOpen', 'staff', 'https://counterlink.example/help')).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 50));
    expect((await state()).opened).toEqual([`${origin}/api/docs`, 'https://counterlink.example/help']);

    expect(await call('permission', 'staff', 'notifications', `${origin}/`)).toEqual({ requested: true, checked: true });
    expect(await call('permission', 'staff', 'geolocation', `${origin}/`)).toEqual({ requested: false, checked: false });
    expect(await call('permission', 'staff', 'notifications', 'https://evil.test/')).toEqual({ requested: false, checked: false });

    const added = await call<{ responseHeaders?: Record<string, string[]> }>('headers', `${origin}/x`, 'mainFrame', { 'content-type': ['text/html'] });
    expect(added.responseHeaders?.['Content-Security-Policy']?.[0]).toMatch(/frame-ancestors 'none'/);
    const kept = await call<{ responseHeaders?: unknown }>('headers', `${origin}/`, 'mainFrame', { 'Content-Security-Policy': ["default-src 'self'"] });
    expect(kept.responseHeaders).toBeUndefined();
  });

  it('a successful payment raises an OS notification', async () => {
    const config = await call<{ serverUrl: string; apiKey: string }>('sendSync', 'staff', 'counterlink:get-config');
    const auth = { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' };
    const charge = (await (await fetch(`${config.serverUrl}/api/v1/charges`, { method: 'POST', headers: auth, body: JSON.stringify({ amount: '7.30' }) })).json()) as { id: string; refIdBase: string };
    const started = await fetch(`${config.serverUrl}/pay-by-link/${charge.id}/payments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(201);
    const { payment } = (await started.json()) as { payment: { id: string } };
    const done = await fetch(`${config.serverUrl}/sim/checkout/${payment.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ outcome: 'succeeded' }) });
    expect(done.status).toBe(200);
    const note = await until('the notification', async () => (await state()).notifications.find((n) => n.title === 'Payment received'));
    expect(note.body).toMatch(/^€7\.30 · [A-Za-z0-9-]+-0001$/);
    expect(note.silent).toBe(false);
  });

  it('the tray shows the address and the menu', async () => {
    const [tray] = (await state()).trays;
    expect(tray!.icon.exists).toBe(true);
    expect(tray!.icon.reps).toEqual([2]);
    expect(tray!.tooltip).toMatch(/^Counterlink – http:\/\//);
    expect(tray!.labels).toEqual(expect.arrayContaining(['Open Counterlink', 'Counter display', 'Counter display on', 'Quit Counterlink']));
  });

  it('quit: waits for the server to close, then quits for real', async () => {
    const origin = new URL((await win('staff')).url).origin;
    expect(await call('quit')).toEqual({ quitted: true, quitCalls: 2 });
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
    const s = await state();
    expect(s.trays[0]!.destroyed).toBe(true);
    expect(s.windows.every((w) => w.destroyed)).toBe(true);
    expect(s.unhandled).toEqual([]);
  });
});

// ---- 3. the built preload, as a sandboxed renderer runs it -----------------------------------

describe('preload (built) in a sandbox-like context', () => {
  interface Exposed {
    name: string;
    api: Record<string, unknown> & { serverUrl: string; apiKey: string; platform: string };
  }

  async function runPreload(config: unknown) {
    const { runInNewContext } = await import('node:vm');
    const calls: { method: string; channel: string; args: unknown[] }[] = [];
    const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
    const exposed: Exposed[] = [];
    const ipcRenderer = {
      sendSync: (channel: string, ...args: unknown[]) => {
        calls.push({ method: 'sendSync', channel, args });
        return config;
      },
      invoke: async (channel: string, ...args: unknown[]) => {
        calls.push({ method: 'invoke', channel, args });
        return channel === 'counterlink:get-update-status' ? { state: 'idle' } : 'ok';
      },
      on: (channel: string, fn: (...a: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), fn]),
      removeListener: (channel: string, fn: (...a: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? []).filter((f) => f !== fn)),
    };
    const contextBridge = { exposeInMainWorld: (name: string, api: Exposed['api']) => exposed.push({ name, api }) };
    // A sandboxed preload may require only a few modules; ours needs nothing but electron.
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return { contextBridge, ipcRenderer };
      throw new Error(`module not found: ${id}`);
    };
    const code = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8');
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, Promise, TypeError });
    return { calls, listeners, exposed };
  }

  it('exposes window.counterlink with the config and forwards calls on our channels', async () => {
    const { calls, listeners, exposed } = await runPreload({ serverUrl: 'http://127.0.0.1:4780', apiKey: 'clk_x', platform: 'linux' });
    expect(exposed.map((e) => e.name)).toEqual(['counterlink']);
    const api = exposed[0]!.api;
    expect(Object.keys(api).sort()).toEqual(
      ['apiKey', 'chooseDisplay', 'installUpdate', 'listDisplays', 'onUpdateStatus', 'platform', 'print', 'serverUrl', 'showOnDisplay'].sort(),
    );
    expect([api.serverUrl, api.apiKey, api.platform]).toEqual(['http://127.0.0.1:4780', 'clk_x', 'linux']);
    expect(calls[0]).toEqual({ method: 'sendSync', channel: 'counterlink:get-config', args: [] });

    await (api.print as (o?: unknown) => Promise<unknown>)();
    await (api.showOnDisplay as (o?: unknown) => Promise<unknown>)({ visible: false });
    await (api.chooseDisplay as (id: number | null) => Promise<unknown>)(null);
    await (api.listDisplays as () => Promise<unknown>)();
    await (api.installUpdate as () => Promise<unknown>)();
    expect(calls.slice(1).map((c) => [c.channel, c.args])).toEqual([
      ['counterlink:print', []],
      ['counterlink:show-on-display', [{ visible: false }]],
      ['counterlink:choose-display', [null]],
      ['counterlink:list-displays', []],
      ['counterlink:install-update', []],
    ]);

    const seen: unknown[] = [];
    const off = (api.onUpdateStatus as (cb: (s: unknown) => void) => () => void)((s) => seen.push(s));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([{ state: 'idle' }]);
    for (const fn of listeners.get('counterlink:update-status') ?? []) fn({}, { state: 'checking' });
    expect(seen).toEqual([{ state: 'idle' }, { state: 'checking' }]);
    off();
    expect(listeners.get('counterlink:update-status')).toEqual([]);
    expect(() => (api.onUpdateStatus as (cb: unknown) => unknown)('not a function')).toThrow(TypeError);
  });

  it('the first-start window gets the first-start calls only: no key, no display, no printing', async () => {
    const { calls, listeners, exposed } = await runPreload({ serverUrl: 'http://127.0.0.1:41234', apiKey: '', platform: 'linux', firstStart: true });
    expect(exposed.map((e) => e.name)).toEqual(['counterlink']);
    const api = exposed[0]!.api;
    expect(Object.keys(api).sort()).toEqual(['apiKey', 'firstStart', 'platform', 'serverUrl']);
    expect(api.apiKey).toBe('');
    const fs = api.firstStart as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(fs).sort()).toEqual(['info', 'join', 'onHubs', 'runHubHere']);
    await fs.info!();
    await fs.join!({ address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' });
    await fs.runHubHere!();
    expect(calls.slice(1).map((c) => [c.channel, c.args])).toEqual([
      ['counterlink:first-start-info', []],
      ['counterlink:first-start-join', [{ address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' }]],
      ['counterlink:first-start-hub-here', []],
    ]);
    const seen: unknown[] = [];
    const off = fs.onHubs!((hubs: unknown) => seen.push(hubs)) as () => void;
    const hubs = [{ id: 'a', shopName: 'Bloom', origin: 'http://192.168.1.20:4780' }];
    for (const fn of listeners.get('counterlink:first-start-hubs') ?? []) fn({}, hubs);
    await new Promise((r) => setImmediate(r));
    // The pushed list wins over the (older) answer to the first ask.
    expect(seen).toEqual([hubs]);
    expect(calls.at(-1)).toMatchObject({ channel: 'counterlink:first-start-get-hubs' });
    off();
    expect(listeners.get('counterlink:first-start-hubs')).toEqual([]);
    expect(() => fs.onHubs!('not a function')).toThrow(TypeError);
  });

  it('exposes nothing when the main process does not recognise the page', async () => {
    const { exposed } = await runPreload(null);
    expect(exposed).toEqual([]);
  });
});
