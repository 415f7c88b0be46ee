import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { PrintOptions, PrintResult } from '../../renderer/src/bridge';
import { Channels, type BridgeConfig } from '../lib/channels';
import {
  appUrl,
  isTrustedSender,
  parseChooseDisplayArgs,
  parseNoArgs,
  parsePrintArgs,
  parseShowOnDisplayArgs,
} from '../lib/ipc-validation';
import { printWindowOptions } from '../lib/window-options';
import type { UpdateController } from '../lib/updater-state';
import type { Windows } from './windows';
import type { Notifier } from './notifications';

/**
 * Glue: the IPC handlers behind the preload bridge. Every call is checked twice: the sender
 * must be the main frame of an app page, and the arguments must pass lib/ipc-validation.ts.
 * Only the staff window may do more than read its configuration.
 */

export interface IpcOptions {
  appOrigins: readonly string[];
  serverUrl: string;
  preload: string;
  config: BridgeConfig;
  windows: Windows;
  notifier: Notifier;
  updates: UpdateController;
  log(message: string): void;
}

function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): { frameUrl: string | undefined; isMainFrame: boolean } {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null };
}

const PRINT_LOAD_TIMEOUT_MS = 20_000;

async function printContents(contents: WebContents, silent: boolean): Promise<PrintResult> {
  return new Promise((resolve) => {
    contents.print({ silent, printBackground: true }, (success, failureReason) =>
      resolve(success ? { ok: true } : { ok: false, error: failureReason || 'Printing failed' }),
    );
  });
}

/** Loads one page of the app in a hidden window (with the bridge, so it can call the API) and prints it. */
async function printPage(url: string, silent: boolean, preload: string): Promise<PrintResult> {
  const win = new BrowserWindow(printWindowOptions(preload));
  try {
    await Promise.race([
      win.loadURL(url),
      new Promise((_, reject) => setTimeout(() => reject(new Error('The page took too long to load')), PRINT_LOAD_TIMEOUT_MS).unref()),
    ]);
    return await printContents(win.webContents, silent);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    win.destroy();
  }
}

export function registerIpc(options: IpcOptions): () => void {
  const { windows } = options;
  const isStaff = (event: IpcMainInvokeEvent): boolean => {
    const staff = windows.staffWindow;
    return staff !== undefined && event.sender === staff.webContents;
  };

  function handle<T>(channel: string, parse: (args: readonly unknown[]) => T, run: (input: T, event: IpcMainInvokeEvent) => unknown): void {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      if (!isTrustedSender(senderOf(event), options.appOrigins) || !isStaff(event)) {
        options.log(`IPC ${channel} refused from ${event.senderFrame?.url ?? 'unknown frame'}`);
        throw new Error('Not allowed');
      }
      return run(parse(args), event);
    });
  }

  // Read once, synchronously, by the preload of every app window (staff, display, print).
  ipcMain.on(Channels.getConfig, (event) => {
    const trusted = isTrustedSender(senderOf(event), options.appOrigins);
    if (!trusted) options.log(`IPC ${Channels.getConfig} refused from ${event.senderFrame?.url ?? 'unknown frame'}`);
    event.returnValue = trusted ? options.config : null;
  });

  handle(Channels.showOnDisplay, parseShowOnDisplayArgs, (input) => {
    if (input.pointOfSaleId !== undefined) windows.setPointOfSale(input.pointOfSaleId);
    windows.setDisplayVisible(input.visible ?? true);
    return windows.displayState();
  });
  handle(Channels.print, parsePrintArgs, (input: PrintOptions, event) =>
    input.path === undefined
      ? printContents(event.sender, input.silent ?? false)
      : printPage(appUrl(options.serverUrl, input.path), input.silent ?? false, options.preload),
  );
  handle(Channels.getUpdateStatus, parseNoArgs, () => options.updates.status);
  handle(Channels.installUpdate, parseNoArgs, () => options.updates.install());
  handle(Channels.listDisplays, parseNoArgs, () => windows.listScreens());
  handle(Channels.chooseDisplay, parseChooseDisplayArgs, (id) => windows.chooseScreen(id));

  // Push update states to the staff window.
  const unsubscribe = options.updates.subscribe((status) => {
    const staff = windows.staffWindow;
    if (staff && !staff.webContents.isDestroyed()) staff.webContents.send(Channels.updateStatus, status);
  });

  return () => {
    unsubscribe();
    ipcMain.removeAllListeners(Channels.getConfig);
    for (const channel of Object.values(Channels)) ipcMain.removeHandler(channel);
  };
}
