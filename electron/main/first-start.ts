import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import Fastify from 'fastify';
import { uiRoutes } from '../../server/staff/ui';
import { bonjourTransport } from '../../server/lan/bonjour-transport';
import { HubFinder } from '../../server/lan/discovery';
import type { FirstStartInfo, FoundHubInfo } from '../../renderer/src/bridge';
import { Channels, type BridgeConfig } from '../lib/channels';
import { FirstStartFlow, type FirstStartDeps, type FirstStartOutcome } from '../lib/first-start';
import { isTrustedSender, parseJoinArgs, parseNoArgs } from '../lib/ipc-validation';
import { originsOf } from '../lib/policy';
import { firstStartWindowOptions } from '../lib/window-options';

/**
 * Glue: the first-start window of a new till (issue #11). No server and no database run yet:
 * the staff UI's build is served on a loopback port of its own (the same pages, the same CSP as
 * the app server sends), the window gets the first-start bridge only, the LAN is browsed for hubs
 * while it is open, and every call goes to lib/first-start.ts. Settles with the choice; the window,
 * the page server, the browser and the IPC handlers are gone by then.
 */

export interface FirstStartOptions {
  why: FirstStartInfo['why'];
  defaultName: string;
  preload: string;
  icon: string;
  devTools: boolean;
  /** out/renderer (the staff UI's build). */
  uiDir: string;
  /** Development: the Vite dev server serves the page instead. */
  rendererDevUrl: string | undefined;
  platform: string;
  deps: FirstStartDeps;
  /** Makes the app's security policy cover these origins (main/index.ts owns it). */
  secure(appOrigins: string[]): void;
  log(message: string): void;
}

function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): { frameUrl: string | undefined; isMainFrame: boolean } {
  const frame = event.senderFrame;
  return { frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null };
}

/** Resolves with the choice, or undefined when the window was closed without one (the app quits). */
export async function askFirstStart(o: FirstStartOptions): Promise<FirstStartOutcome | undefined> {
  const pages = o.rendererDevUrl ? undefined : Fastify({ logger: false });
  let pageUrl: string;
  if (pages) {
    await uiRoutes(pages, o.uiDir);
    pageUrl = await pages.listen({ host: '127.0.0.1', port: 0 });
  } else {
    pageUrl = new URL(o.rendererDevUrl!).origin;
  }
  const appOrigins = originsOf([pageUrl]);
  o.secure(appOrigins);

  const flow = new FirstStartFlow(o.deps, o.why, o.defaultName);
  const win = new BrowserWindow(firstStartWindowOptions({ preload: o.preload, icon: o.icon, devTools: o.devTools }));
  const fromWindow = (event: IpcMainEvent | IpcMainInvokeEvent): boolean =>
    !win.isDestroyed() && event.sender === win.webContents && isTrustedSender(senderOf(event), appOrigins);

  const toScreen = (hubs: { id: string; shopName: string; origin: string }[]): FoundHubInfo[] => hubs.map(({ id, shopName, origin }) => ({ id, shopName, origin }));
  let finder: HubFinder | undefined;
  let transport: ReturnType<typeof bonjourTransport> | undefined;
  try {
    transport = bonjourTransport(o.log);
    finder = new HubFinder({
      transport,
      onChange: (hubs) => {
        if (!win.isDestroyed()) win.webContents.send(Channels.firstStartHubs, toScreen(hubs));
      },
      log: o.log,
    });
    finder.start();
  } catch (err) {
    o.log(`LAN discovery unavailable, type the hub's address instead: ${String(err)}`);
  }

  const config: BridgeConfig = { serverUrl: pageUrl, apiKey: '', platform: o.platform, firstStart: true };
  ipcMain.on(Channels.getConfig, (event) => {
    const trusted = fromWindow(event);
    if (!trusted) o.log(`IPC ${Channels.getConfig} refused from ${event.senderFrame?.url ?? 'unknown frame'}`);
    event.returnValue = trusted ? config : null;
  });
  function handle<T>(channel: string, parse: (args: readonly unknown[]) => T, run: (input: T) => unknown): void {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      if (!fromWindow(event)) {
        o.log(`IPC ${channel} refused from ${event.senderFrame?.url ?? 'unknown frame'}`);
        throw new Error('Not allowed');
      }
      return run(parse(args));
    });
  }
  handle(Channels.firstStartInfo, parseNoArgs, () => flow.info());
  handle(Channels.firstStartGetHubs, parseNoArgs, () => toScreen(finder?.list() ?? []));
  handle(Channels.firstStartJoin, parseJoinArgs, (request) => flow.join(request));
  handle(Channels.firstStartHubHere, parseNoArgs, () => flow.runHubHere());

  const closed = new Promise<undefined>((resolve) => win.on('closed', () => resolve(undefined)));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${pageUrl}/`).catch((err: unknown) => o.log(`first-start window failed to load: ${String(err)}`));

  const outcome = await Promise.race([flow.outcome, closed]);
  finder?.stop();
  await transport?.destroy();
  ipcMain.removeAllListeners(Channels.getConfig);
  for (const channel of [Channels.firstStartInfo, Channels.firstStartGetHubs, Channels.firstStartJoin, Channels.firstStartHubHere]) ipcMain.removeHandler(channel);
  if (!win.isDestroyed()) win.destroy();
  await pages?.close();
  return outcome;
}
