/**
 * Start-up of the embedded app, as plain functions: where the server listens, how the windows
 * reach it, the readiness timeout, and what to tell the user when it fails.
 */

export const DEFAULT_PORT = 4780;
export const DEFAULT_HOST = '0.0.0.0';
export const STARTUP_TIMEOUT_MS = 15_000;
export const SHUTDOWN_TIMEOUT_MS = 5_000;

export class StartupTimeoutError extends Error {
  override readonly name = 'StartupTimeoutError';
  constructor(readonly ms: number) {
    super(`The app did not become ready within ${Math.round(ms / 1000)} s.`);
  }
}

/** Races `promise` against a timer; the timer never keeps the process alive. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error = () => new StartupTimeoutError(ms)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The port: COUNTERLINK_PORT wins (like `npm run serve`, and for tests), then the desktop
 * settings, then 4780. `envPort` is the already-validated value from configFromEnv.
 */
export function resolvePort(env: NodeJS.ProcessEnv, envPort: number, settingsPort: number | null): number {
  if (env.COUNTERLINK_PORT !== undefined && env.COUNTERLINK_PORT.trim() !== '') return envPort;
  return settingsPort ?? DEFAULT_PORT;
}

/**
 * The address the app's own windows use: loopback when the server listens on every interface
 * (fast, and unaffected by the LAN address changing), else the address it is bound to.
 */
export function localServerUrl(host: string, port: number): string {
  const h = host.trim();
  const loopback = h === '0.0.0.0' || h === '::' || h === '' || h === 'localhost' || h === '127.0.0.1' || h === '::1';
  const name = loopback ? (h === '::1' || h === '::' ? '[::1]' : '127.0.0.1') : h.includes(':') ? `[${h}]` : h;
  return `http://${name}:${port}`;
}

export interface StartupFailure {
  title: string;
  message: string;
}

/** What the error dialog says when the app cannot start. */
export function describeStartupError(err: unknown, where: { host: string; port: number; dataDir: string }): StartupFailure {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const detail = err instanceof Error ? err.message : String(err);
  const title = 'Counterlink could not start';
  if (err instanceof StartupTimeoutError) {
    return { title, message: `${err.message}\n\nThe database or the network may be busy. Close Counterlink and start it again.\nData folder: ${where.dataDir}` };
  }
  if (code === 'EADDRINUSE') {
    return {
      title,
      message:
        `Port ${where.port} is already in use, probably by another copy of Counterlink (e.g. "npm run serve") or another program.\n\n` +
        `Close that program, or start Counterlink on another port: set COUNTERLINK_PORT, or "port" in desktop-settings.json in ${where.dataDir}.`,
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { title, message: `Counterlink may not listen on ${where.host}:${where.port} (${code}). Choose a port above 1024.\n\n${detail}` };
  }
  if (code === 'EADDRNOTAVAIL') {
    return { title, message: `The address ${where.host} does not belong to this computer. Check COUNTERLINK_HOST.\n\n${detail}` };
  }
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(detail)) {
    return {
      title,
      message:
        `The database module (better-sqlite3) is built for another Node.js than this Electron.\n\n` +
        `Development: run "npx electron-builder install-app-deps" (and "npm rebuild better-sqlite3" before running the Node tests again). ` +
        `Installed app: reinstall Counterlink.\n\n${detail}`,
    };
  }
  if (/SQLITE_|database|migration/i.test(detail) || code?.startsWith('SQLITE_')) {
    return { title, message: `The database in ${where.dataDir} could not be opened.\n\n${detail}` };
  }
  return { title, message: detail };
}
