import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CounterlinkBridge, FoundHubInfo, UpdateStatus } from '../../renderer/src/bridge';
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

/**
 * The first-start window of a new till: no server runs yet, there is no key; the page may only
 * ask for the found hubs, join one, or start the hub here.
 */
function firstStartBridge(c: BridgeConfig) {
  return {
    serverUrl: c.serverUrl,
    apiKey: '',
    platform: c.platform,
    firstStart: {
      info: () => ipcRenderer.invoke(Channels.firstStartInfo),
      onHubs(callback) {
        if (typeof callback !== 'function') throw new TypeError('onHubs needs a function');
        let pushed = false;
        const listener = (_event: IpcRendererEvent, hubs: FoundHubInfo[]): void => {
          pushed = true;
          callback(hubs);
        };
        ipcRenderer.on(Channels.firstStartHubs, listener);
        ipcRenderer
          .invoke(Channels.firstStartGetHubs)
          .then((hubs: FoundHubInfo[]) => {
            if (!pushed) callback(hubs);
          })
          .catch(() => {});
        return () => {
          ipcRenderer.removeListener(Channels.firstStartHubs, listener);
        };
      },
      join: (request) => ipcRenderer.invoke(Channels.firstStartJoin, request),
      runHubHere: () => ipcRenderer.invoke(Channels.firstStartHubHere),
    },
  } satisfies CounterlinkBridge;
}

if (config?.firstStart) {
  contextBridge.exposeInMainWorld('counterlink', firstStartBridge(config));
} else if (config) {
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
