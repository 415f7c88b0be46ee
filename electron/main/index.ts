import { app, dialog, safeStorage, session } from 'electron';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import iconPath from '../../resources/icon.png?asset';
import trayIconPath from '../../resources/tray.png?asset';
import trayIcon2xPath from '../../resources/tray@2x.png?asset';
import trayTemplatePath from '../../resources/trayTemplate.png?asset';
import trayTemplate2xPath from '../../resources/trayTemplate@2x.png?asset';
import { createApp, migrateDataDir, type App } from '../../server/create-app';
import { configFromEnv, type AppConfig } from '../../server/config';
import { ensurePrivateDir, restrictFile } from '../../server/data-dir';
import { announceApp } from '../../server/lan/announce';
import type { Announcer } from '../../server/lan/discovery';
import { PaymentNotifier } from '../lib/payment-notifications';
import { contentSecurityPolicy, httpOrigin, originsOf } from '../lib/policy';
import { openSecret, resolveStaffKey, sealSecret, SettingsFile, SETTINGS_FILE_NAME, type SecretCodec } from '../lib/settings';
import {
  DATABASE_FILE,
  describePairFailure,
  hubClientConfig,
  hubNotice,
  HUB_PROBE_EVERY_MS,
  HubWatch,
  joinedSettings,
  joinRequestFromEnv,
  pairWithHub,
  probeHub,
  serverConfiguredByEnv,
  startupPlan,
  type JoinedHub,
} from '../lib/hub';
import {
  describeStartupError,
  localServerUrl,
  resolvePort,
  SHUTDOWN_TIMEOUT_MS,
  STARTUP_TIMEOUT_MS,
  withTimeout,
  type StartupFailure,
} from '../lib/startup';
import type { UpdateController } from '../lib/updater-state';
import { registerIpc } from './ipc';
import { Notifier } from './notifications';
import { askFirstStart } from './first-start';
import { guardAllWebContents, hardenSession, type SecurityOptions } from './security';
import { AppTray } from './tray';
import { createUpdateController } from './updater';
import { Windows } from './windows';

/**
 * The Electron main process: one instance per user, the embedded app (core + store + server)
 * started with a readiness timeout and closed cleanly on quit, the staff and counter display
 * windows, the tray, payment notifications and updates. Logic lives in ../lib (unit-tested in
 * plain Node); this file only wires it to Electron.
 */

const APP_NAME = 'Counterlink';
/** Hosts whose links may open in the default browser (besides the app's own address). Placeholder: the help site. */
const EXTERNAL_HOSTS = ['counterlink.example'];

const isDev = !app.isPackaged;
const rendererDevUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;

function log(message: string, error?: unknown): void {
  console.warn(`[counterlink] ${message}`, ...(error === undefined ? [] : [error]));
}

// The same folder `npm run serve` uses (server/config.ts defaultDataDir), whatever package.json calls the app;
// COUNTERLINK_DATA_DIR moves everything (database, settings, Chromium profile) elsewhere, e.g. for tests.
app.setName(APP_NAME);
const dataDirOverride = process.env.COUNTERLINK_DATA_DIR?.trim();
app.setPath('userData', dataDirOverride ? resolve(dataDirOverride) : join(app.getPath('appData'), APP_NAME));
if (process.platform === 'win32') app.setAppUserModelId('com.counterlink.app');
// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();

let embedded: App | undefined;
let windows: Windows | undefined;
let tray: AppTray | undefined;
let notifications: PaymentNotifier | undefined;
let updates: UpdateController | undefined;
let unregisterIpc: (() => void) | undefined;
let hubTimer: ReturnType<typeof setInterval> | undefined;
let announcer: Announcer | undefined;
let shutdown: 'running' | 'closing' | 'closed' = 'running';

/**
 * The one security policy of every window, applied once: the first-start window, then the hub's
 * or counter's windows, each stage narrowing it to its own origins (the guards read it per event).
 */
const security: SecurityOptions = { appOrigins: [], external: { origins: [], hosts: EXTERNAL_HOSTS }, csp: "default-src 'none'", log };
let secured = false;
function secure(next: Omit<SecurityOptions, 'log'>): void {
  Object.assign(security, next);
  if (secured) return;
  secured = true;
  guardAllWebContents(security);
  hardenSession(session.defaultSession, security);
}

function fail(failure: StartupFailure): void {
  log(`${failure.title}: ${failure.message}`);
  dialog.showErrorBox(failure.title, failure.message);
  app.exit(1);
}

async function startEmbeddedApp(config: AppConfig): Promise<{ app: App; port: number }> {
  // The staff UI the server serves at `/`: electron-vite's renderer output, next to out/main
  // (inside app.asar when packaged). Read by server/staff (defaultUiDir).
  process.env.COUNTERLINK_UI_DIR ||= uiDir();
  const logsDir = app.getPath('logs');
  // The server log stays the user's own: folder 0700, file 0600 (pino appends to what is there).
  ensurePrivateDir(logsDir);
  restrictFile(join(logsDir, 'server.log'));
  const instance = await createApp({
    ...config,
    // The data key that seals the shop's stored secrets is wrapped by the OS keychain (core/secrets.ts).
    keychain: safeStorage,
    logger: isDev
      ? { level: process.env.COUNTERLINK_LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] }
      : { level: process.env.COUNTERLINK_LOG_LEVEL ?? 'warn', file: join(logsDir, 'server.log'), redact: ['req.headers.authorization', 'req.headers.cookie'] },
  });
  try {
    await instance.listen();
  } catch (err) {
    await instance.close().catch(() => {});
    throw err;
  }
  const address = instance.server.server.address();
  return { app: instance, port: typeof address === 'object' && address ? address.port : config.port };
}

/** What both a hub and a joined counter open: windows, notices, updates, IPC, the tray. */
interface ShellOptions {
  settings: SettingsFile;
  /** Where the staff UI and the counter display load from, and the bridge's server URL. */
  serverUrl: string;
  /** The bridge's bearer credential: the desktop API key (hub) or the device token (counter). */
  apiKey: string;
  appOrigins: string[];
  publicUrl: string;
  defaultPointOfSaleId(): string;
  pointOfSaleExists(id: string): boolean;
}

async function openShell(o: ShellOptions): Promise<{ windows: Windows; notifier: Notifier }> {
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const refreshTray = (): void => tray?.refresh();
  const win = new Windows({
    preload,
    icon: iconPath,
    devTools: isDev,
    staffUrl: `${o.serverUrl}/`,
    displayUrl: (pointOfSaleId) => `${o.serverUrl}/display/${encodeURIComponent(pointOfSaleId)}`,
    settings: o.settings,
    defaultPointOfSaleId: o.defaultPointOfSaleId,
    pointOfSaleExists: o.pointOfSaleExists,
    onChange: refreshTray,
    log,
  });
  windows = win;
  const notifier = new Notifier({ icon: iconPath, onClick: () => win.showStaff() });
  updates = await createUpdateController({ isPackaged: app.isPackaged, log, onBeforeInstall: () => win.prepareToQuit() });
  const controller = updates;
  unregisterIpc = registerIpc({
    appOrigins: o.appOrigins,
    serverUrl: o.serverUrl,
    preload,
    config: { serverUrl: o.serverUrl, apiKey: o.apiKey, platform: process.platform },
    windows: win,
    notifier,
    updates,
    log,
  });
  try {
    tray = new AppTray(
      { x1: trayIconPath, x2: trayIcon2xPath, template1: trayTemplatePath, template2: trayTemplate2xPath },
      () => ({
        displayVisible: win.displayWindow?.isVisible() ?? false,
        screens: win.listScreens(),
        automaticScreen: o.settings.get().display.screenId === null,
        publicUrl: o.publicUrl,
        updateReady: controller.status.state === 'downloaded' ? controller.status.version : null,
      }),
      {
        showStaff: () => win.showStaff(),
        setDisplayVisible: (visible) => win.setDisplayVisible(visible),
        chooseScreen: (id) => void win.chooseScreen(id),
        installUpdate: () => void controller.install(),
        quit: () => app.quit(),
      },
    );
  } catch (err) {
    log('no tray icon on this desktop', err);
  }
  updates.subscribe(refreshTray);
  return { windows: win, notifier };
}

/**
 * A till joined to a hub: no server and no database here. The windows load the hub's pages, the
 * bridge carries the device token, and the hub is probed so staff hear when it goes and comes back.
 */
async function startCounter(hub: JoinedHub, settings: SettingsFile, codec: SecretCodec | undefined): Promise<void> {
  const token = openSecret(hub.token, codec).value;
  if (!token) {
    fail({ title: 'Counterlink could not start', message: 'This till’s pairing cannot be read on this machine (the OS keychain changed). Make a new code on the hub and join again.' });
    return;
  }
  const config = hubClientConfig(hub, token);
  const appOrigins = originsOf([config.serverUrl]);
  secure({
    appOrigins,
    external: { origins: appOrigins, hosts: EXTERNAL_HOSTS },
    csp: contentSecurityPolicy({ serverOrigin: httpOrigin(config.serverUrl)!, dev: false }),
  });
  const { windows: win, notifier } = await openShell({
    settings,
    serverUrl: config.serverUrl,
    apiKey: config.apiKey,
    appOrigins,
    publicUrl: config.serverUrl,
    defaultPointOfSaleId: () => config.pointOfSaleId,
    pointOfSaleExists: (id) => id === config.pointOfSaleId,
  });
  const watch = new HubWatch({
    probe: () => probeHub(fetch, config),
    now: () => Date.now(),
    onChange: (state) => {
      log(`hub ${config.serverUrl}: ${state}`);
      notifier.show(hubNotice(state, config.serverUrl));
      // Revoked: the pairing is gone for good; the next start asks to join again.
      if (state !== 'revoked') return;
      settings.update((s) => {
        s.hub = { role: 'counter', joined: null };
      });
    },
  });
  hubTimer = setInterval(() => void watch.tick(), HUB_PROBE_EVERY_MS);
  win.start();
  updates?.start();
  log(`ready as a counter of ${config.serverUrl} (${hub.name}, point of sale ${hub.pointOfSaleId}); no server here`);
}

/**
 * Hub or counter (electron/lib/hub.ts). A new install asks on the first-start screen; a till can
 * also be joined without it, started once with COUNTERLINK_JOIN_HUB and COUNTERLINK_JOIN_CODE
 * (e.g. by a deployment script). The pairing is kept (token sealed) and every later start is a
 * counter's.
 */
async function chooseRole(settings: SettingsFile, userData: string, codec: SecretCodec | undefined): Promise<'hub' | 'counter' | 'failed'> {
  const joining = joinRequestFromEnv(process.env, hostname());
  if (joining && 'error' in joining) {
    fail({ title: 'Counterlink could not join the hub', message: joining.error });
    return 'failed';
  }
  const current = settings.get().hub;
  if (joining && current.role === 'counter' && current.joined) {
    log(`already a counter of ${current.joined.url}: COUNTERLINK_JOIN_HUB and COUNTERLINK_JOIN_CODE are ignored`);
  } else if (joining) {
    const result = await pairWithHub(fetch, joining.address, joining.code, joining.name);
    if (!result.ok) {
      fail({ title: 'Counterlink could not join the hub', message: describePairFailure(result.reason, result.retryAfterSeconds) });
      return 'failed';
    }
    const joined = joinedSettings(result.origin!, result.paired, sealSecret(result.paired.token, codec));
    settings.update((s) => {
      s.hub = joined;
    });
  }
  let plan = startupPlan({ hub: settings.get().hub, hasDatabase: existsSync(join(userData, DATABASE_FILE)), serverConfigured: serverConfiguredByEnv(process.env) });
  if (plan.kind === 'counter') {
    if (openSecret(plan.hub.token, codec).value) {
      await startCounter(plan.hub, settings, codec);
      return 'counter';
    }
    // The OS keychain changed: the token is gone for good here. Join again (the screen says why).
    log('this till’s pairing cannot be read on this machine: asking to join again');
    settings.update((s) => {
      s.hub = { role: 'counter', joined: null };
    });
    plan = { kind: 'ask', why: 'not-paired' };
  }
  if (plan.kind === 'hub') return 'hub';
  // A new install, or a till whose pairing is gone: ask (screens/FirstStart.tsx).
  const choice = await askFirstStart({
    why: plan.why,
    defaultName: hostname(),
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    icon: iconPath,
    devTools: isDev,
    uiDir: uiDir(),
    rendererDevUrl,
    platform: process.platform,
    deps: {
      pair: (address, code, name) => pairWithHub(fetch, address, code, name),
      seal: (token) => sealSecret(token, codec),
      save: (hub) =>
        settings.update((s) => {
          s.hub = hub;
        }),
    },
    secure: (appOrigins) =>
      secure({ appOrigins, external: { origins: [], hosts: EXTERNAL_HOSTS }, csp: contentSecurityPolicy({ serverOrigin: appOrigins[0]!, dev: rendererDevUrl !== undefined }) }),
    log,
  });
  if (!choice) {
    // Closed without a choice: nothing was set up; the next start asks again.
    app.quit();
    return 'failed';
  }
  if (choice.kind === 'counter') {
    log(`joined the hub at ${choice.hub.url} as "${choice.hub.name}"`);
    await startCounter(choice.hub, settings, codec);
    return 'counter';
  }
  return 'hub';
}

/** The staff UI's build: electron-vite's renderer output next to out/main (inside app.asar when packaged). */
function uiDir(): string {
  return process.env.COUNTERLINK_UI_DIR || join(import.meta.dirname, '../renderer');
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settings = new SettingsFile(join(userData, SETTINGS_FILE_NAME));
  const codec = safeStorage.isEncryptionAvailable() ? safeStorage : undefined;
  if ((await chooseRole(settings, userData, codec)) !== 'hub') return;

  let config: AppConfig;
  try {
    const env = configFromEnv(process.env);
    config = { ...env, dataDir: userData, port: resolvePort(process.env, env.port, settings.get().port) };
  } catch (err) {
    fail({ title: 'Counterlink could not start', message: `The configuration is invalid: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }

  let port: number;
  try {
    // Untimed: a migration after an update may take a minute on a big shop's database.
    await migrateDataDir(config);
    const started = await withTimeout(startEmbeddedApp(config), STARTUP_TIMEOUT_MS);
    embedded = started.app;
    port = started.port;
  } catch (err) {
    fail(describeStartupError(err, config));
    return;
  }
  const { core } = embedded;
  // The shop's other tills find this hub on their first-start screen.
  announcer = await announceApp(embedded, { env: process.env, host: config.host, port, log });

  // The desktop UI's own credential, kept sealed by the OS keychain where there is one.
  if (!codec) log('OS encryption (safeStorage) is not available: the desktop API key is stored unencrypted in the settings file');
  const staffKey = await resolveStaffKey({
    stored: settings.get().staffKey,
    codec,
    isValid: async (key) => (await core.apiKeys.authenticate(key)) !== undefined,
    generate: async () => (await core.apiKeys.generate('Desktop', 'admin', 'any')).key,
  });
  if (staffKey.store) {
    const stored = staffKey.store;
    settings.update((s) => {
      s.staffKey = stored;
    });
  }

  const localUrl = localServerUrl(config.host, port);
  // Development: pages come from the Vite dev server, whose proxy (renderer/vite.config.ts)
  // forwards the API to COUNTERLINK_DEV_SERVER (default 127.0.0.1:4780): the renderer talks to its
  // own origin, as in production, and the Service API needs no CORS.
  const serverUrl = rendererDevUrl ? new URL(rendererDevUrl).origin : localUrl;
  if (rendererDevUrl && !process.env.COUNTERLINK_DEV_SERVER && port !== 4780) {
    log(`the embedded server listens on ${port}: start with COUNTERLINK_DEV_SERVER=${localUrl} so the Vite proxy reaches it`);
  }
  const appOrigins = originsOf([localUrl, rendererDevUrl]);
  secure({
    appOrigins,
    external: { origins: originsOf([core.config.baseUrl, localUrl]), hosts: EXTERNAL_HOSTS },
    csp: contentSecurityPolicy({ serverOrigin: httpOrigin(localUrl)!, dev: rendererDevUrl !== undefined }),
  });

  // The windows ask about points of sale synchronously: a copy kept fresh from the event log.
  let pointsOfSale = await core.pointsOfSale.list();
  core.events.onAppended(() => {
    core.pointsOfSale.list().then((list) => (pointsOfSale = list), () => undefined);
  });

  const { windows: win, notifier } = await openShell({
    settings,
    serverUrl,
    apiKey: staffKey.key,
    appOrigins,
    publicUrl: core.config.baseUrl,
    defaultPointOfSaleId: () => (pointsOfSale.find((p) => p.isDefault) ?? pointsOfSale[0])!.id,
    pointOfSaleExists: (id) => pointsOfSale.some((p) => p.id === id),
  });
  notifications = new PaymentNotifier({
    events: core.events,
    preferences: () => settings.get().notifications,
    show: (notice) => notifier.show(notice),
    locale: app.getLocale(),
    onError: (err) => log('payment notification failed', err),
  });
  await notifications.start();

  win.start();
  updates?.start();
  log(`ready: ${localUrl} (customers: ${core.config.baseUrl}; data: ${userData})`);
}

async function stop(): Promise<void> {
  if (hubTimer) clearInterval(hubTimer);
  windows?.prepareToQuit();
  notifications?.stop();
  updates?.stop();
  unregisterIpc?.();
  tray?.destroy();
  windows?.destroyAll();
  await announcer?.stop();
  if (embedded) await withTimeout(embedded.close(), SHUTDOWN_TIMEOUT_MS).catch((err: unknown) => log('clean shutdown failed', err));
}

if (!app.requestSingleInstanceLock()) {
  // Another Counterlink runs for this user: it gets focused (second-instance below), we leave.
  app.quit();
} else {
  app.on('second-instance', () => windows?.showStaff());
  app.on('activate', () => windows?.showStaff());
  // Windows hide instead of closing; the app lives in the tray until Quit.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    windows?.prepareToQuit();
    if (shutdown === 'closed') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void stop().finally(() => {
      shutdown = 'closed';
      app.quit();
    });
  });
  process.on('unhandledRejection', (reason) => log('unhandled rejection', reason));
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail(describeStartupError(err, { host: '?', port: 0, dataDir: app.getPath('userData') })));
}
