import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CounterlinkBridge, UpdateStatus } from '../../renderer/src/bridge';
import { Channels, type BridgeConfig } from '../lib/channels';

/**
 * The preload (sandboxed, context-isolated): exposes `window.counterlink`, one small typed
 * object, and nothing of Node or of ipcRenderer itself. The main process checks every call again.
 */

// Asked once, synchronously, so serverUrl and apiKey are plain properties when the page starts.
// null: the main process does not consider this page part of the app; then there is no bridge.
const config = ipcRenderer.sendSync(Channels.getConfig) as BridgeConfig | null;

function optional(options: unknown): unknown[] {
  return options === undefined ? [] : [options];
}

if (config) {
  const bridge = {
    serverUrl: config.serverUrl,
    apiKey: config.apiKey,
    platform: config.platform,
    showOnDisplay: (options) => ipcRenderer.invoke(Channels.showOnDisplay, ...optional(options)),
    print: (options) => ipcRenderer.invoke(Channels.print, ...optional(options)),
    onUpdateStatus(callback) {
      if (typeof callback !== 'function') throw new TypeError('onUpdateStatus needs a function');
      let pushed = false;
      const listener = (_event: IpcRendererEvent, status: UpdateStatus): void => {
        pushed = true;
        callback(status);
      };
      ipcRenderer.on(Channels.updateStatus, listener);
      // The current state at once (unless a newer one was pushed meanwhile).
      ipcRenderer
        .invoke(Channels.getUpdateStatus)
        .then((status: UpdateStatus) => {
          if (!pushed) callback(status);
        })
        .catch(() => {});
      return () => {
        ipcRenderer.removeListener(Channels.updateStatus, listener);
      };
    },
    installUpdate: () => ipcRenderer.invoke(Channels.installUpdate),
    listDisplays: () => ipcRenderer.invoke(Channels.listDisplays),
    chooseDisplay: (id) => ipcRenderer.invoke(Channels.chooseDisplay, id),
  } satisfies CounterlinkBridge;

  contextBridge.exposeInMainWorld('counterlink', bridge);
}
