import { UpdateController, type UpdaterLike } from '../lib/updater-state';

/**
 * Glue: electron-updater behind the UpdateController. The feed (a generic provider) is set in
 * electron-builder.yml and baked into the packaged app as app-update.yml. Off in development
 * (unpackaged), and when COUNTERLINK_UPDATES=off.
 */
export async function createUpdateController(options: {
  isPackaged: boolean;
  log(message: string, error?: unknown): void;
  onBeforeInstall(): void;
}): Promise<UpdateController> {
  if (!options.isPackaged) return new UpdateController({ updater: undefined, disabledReason: 'Updates are off in development.' });
  if (process.env.COUNTERLINK_UPDATES === 'off') return new UpdateController({ updater: undefined, disabledReason: 'Updates are turned off (COUNTERLINK_UPDATES=off).' });
  // electron-updater is CommonJS: take its default export, and load it only when it is used.
  const { default: updaterModule } = await import('electron-updater');
  const autoUpdater = updaterModule.autoUpdater;
  autoUpdater.logger = {
    info: () => {},
    debug: () => {},
    warn: (message?: unknown) => options.log(`updater: ${String(message)}`),
    error: (message?: unknown) => options.log(`updater: ${String(message)}`),
  };
  const updater: UpdaterLike = {
    get autoDownload() {
      return autoUpdater.autoDownload;
    },
    set autoDownload(value) {
      autoUpdater.autoDownload = value;
    },
    get autoInstallOnAppQuit() {
      return autoUpdater.autoInstallOnAppQuit;
    },
    set autoInstallOnAppQuit(value) {
      autoUpdater.autoInstallOnAppQuit = value;
    },
    on: (event, listener) => autoUpdater.on(event, listener as never),
    checkForUpdates: () => autoUpdater.checkForUpdates(),
    quitAndInstall: (isSilent, isForceRunAfter) => {
      // Windows must really close (not hide to the tray) for the installer to run.
      options.onBeforeInstall();
      autoUpdater.quitAndInstall(isSilent, isForceRunAfter);
    },
  };
  return new UpdateController({ updater, log: options.log });
}
