import type { UpdateStatus } from '../../renderer/src/bridge';

/**
 * The auto-update state machine around electron-updater's `autoUpdater` (or a fake in tests):
 * check at start and every few hours, download in the background, tell the staff UI how it is
 * going, install on quit (or at once when staff click "restart to update").
 */

export interface UpdateInfoLike {
  version: string;
}

export interface ProgressInfoLike {
  percent: number;
  transferred: number;
  total: number;
  bytesPerSecond: number;
}

export interface UpdaterEvents {
  'checking-for-update': () => void;
  'update-available': (info: UpdateInfoLike) => void;
  'update-not-available': (info: UpdateInfoLike) => void;
  'download-progress': (progress: ProgressInfoLike) => void;
  'update-downloaded': (info: UpdateInfoLike) => void;
  error: (error: Error, message?: string) => void;
}

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on<E extends keyof UpdaterEvents>(event: E, listener: UpdaterEvents[E]): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

export interface UpdateControllerOptions {
  /** undefined = updates are off (development, unpackaged builds); `disabledReason` says why. */
  updater: UpdaterLike | undefined;
  disabledReason?: string;
  intervalMs?: number;
  timers?: Timers;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

const systemTimers: Timers = {
  setInterval: (callback, ms) => {
    const handle = setInterval(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // electron-updater messages can carry whole HTTP responses: keep the first line, bounded.
  const first = message.split('\n')[0] ?? message;
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

export class UpdateController {
  private current: UpdateStatus;
  private readonly listeners = new Set<(status: UpdateStatus) => void>();
  private interval: unknown;
  private availableVersion: string | null = null;
  private readonly timers: Timers;
  private readonly now: () => Date;

  constructor(private readonly options: UpdateControllerOptions) {
    this.timers = options.timers ?? systemTimers;
    this.now = options.now ?? (() => new Date());
    this.current = options.updater ? { state: 'idle' } : { state: 'disabled', reason: options.disabledReason ?? 'Updates are off in this build.' };
  }

  get status(): UpdateStatus {
    return this.current;
  }

  get enabled(): boolean {
    return this.options.updater !== undefined;
  }

  /** Called with every state change. Returns an unsubscribe function. */
  subscribe(listener: (status: UpdateStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Wires the updater, checks now and every `intervalMs`. Does nothing when updates are off. */
  start(): void {
    const updater = this.options.updater;
    if (!updater || this.interval !== undefined) return;
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.on('checking-for-update', () => {
      if (!this.busy()) this.set({ state: 'checking' });
    });
    updater.on('update-available', (info) => {
      this.availableVersion = info.version;
      if (this.current.state !== 'downloaded') this.set({ state: 'available', version: info.version });
    });
    updater.on('update-not-available', () => {
      if (this.current.state !== 'downloaded') this.set({ state: 'not-available', checkedAt: this.now().toISOString() });
    });
    updater.on('download-progress', (p) => {
      if (this.current.state === 'downloaded') return;
      this.set({
        state: 'downloading',
        version: this.availableVersion,
        percent: Math.max(0, Math.min(100, Math.round(p.percent * 10) / 10)),
        transferred: p.transferred,
        total: p.total,
        bytesPerSecond: p.bytesPerSecond,
      });
    });
    updater.on('update-downloaded', (info) => {
      this.set({ state: 'downloaded', version: info.version });
    });
    updater.on('error', (err) => {
      this.options.log?.('update failed', err);
      if (this.current.state !== 'downloaded') this.set({ state: 'error', message: errorMessage(err) });
    });
    this.interval = this.timers.setInterval(() => void this.check(), this.options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
    void this.check();
  }

  stop(): void {
    if (this.interval !== undefined) this.timers.clearInterval(this.interval);
    this.interval = undefined;
  }

  /** One check; skipped while one is running, while downloading, or when an update is waiting. */
  async check(): Promise<void> {
    const updater = this.options.updater;
    if (!updater || this.busy()) return;
    this.set({ state: 'checking' });
    try {
      await updater.checkForUpdates();
    } catch (err) {
      this.options.log?.('update check failed', err);
      if (this.current.state !== 'downloaded') this.set({ state: 'error', message: errorMessage(err) });
    }
  }

  /** Restarts into the downloaded update. False (and nothing happens) when none is ready. */
  install(): boolean {
    const updater = this.options.updater;
    if (!updater || this.current.state !== 'downloaded') return false;
    updater.quitAndInstall(false, true);
    return true;
  }

  private busy(): boolean {
    const s = this.current.state;
    return s === 'checking' || s === 'downloading' || s === 'downloaded';
  }

  private set(status: UpdateStatus): void {
    this.current = status;
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (err) {
        this.options.log?.('update status listener failed', err);
      }
    }
  }
}
