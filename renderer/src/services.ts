import { ApiClient } from './api/client';
import { getBridge, isDeviceCredential } from './bridge';
import { beep } from './lib/beep';
import { createAppStore } from './stores/app';
import { createChargeStore } from './stores/charge';
import { createFeedStore } from './stores/feed';
import { createSessionStore } from './stores/session';
import { createModeStore, type Mode } from './stores/mode';
import { createConnectivityStore } from './stores/connectivity';
import type { Action } from './api/types';
import { useStore } from 'zustand';
import { COUNTER_CREDENTIAL_KEY, readCredential } from './lib/pairing';

/**
 * The app's singletons. With the desktop bridge: its bearer key; same-origin relative URLs
 * whenever the page itself comes from the app server (or the vite dev proxy), the bridge's
 * server URL only under file://.
 */
const desktop = getBridge();
const sameOrigin = typeof location !== 'undefined' && location.protocol !== 'file:';
const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;
/**
 * A browser or tablet paired as a till by the hub's QR (`/#pair=CODE`, see App.tsx): its device
 * token, kept in localStorage, is its credential, the way the desktop app's joined till uses one.
 */
const pairedTill = desktop || !sameOrigin ? undefined : readCredential(storage, COUNTER_CREDENTIAL_KEY);
const bridge = desktop ?? (pairedTill ? { serverUrl: location.origin, apiKey: pairedTill.token } : undefined);
/** A second till joined to a hub: its credential is a paired counter's token. */
export const isDevice = isDeviceCredential(bridge);
/** …paired in this browser (not the desktop app): it may forget the pairing and pair again. */
export const isPairedBrowser = pairedTill !== undefined && desktop === undefined;

export const modeStore = createModeStore(storage);
export const connectivityStore = createConnectivityStore();

export const api = new ApiClient({
  baseUrl: bridge && !sameOrigin ? bridge.serverUrl.replace(/\/+$/, '') : '',
  ...(bridge ? { apiKey: bridge.apiKey } : {}),
  onUnauthorized: () => sessionStore.getState().expired(),
  mode: () => modeStore.getState().mode,
  onReachable: (reachable) => connectivityStore.getState().report(reachable),
});

export const sessionStore = createSessionStore(api, { bearer: Boolean(bridge), device: isDevice });
export const appStore = createAppStore(api, storage, { device: isDevice });

export const feedStore = createFeedStore({
  api,
  storage,
  beep,
  onUnauthorized: () => sessionStore.getState().expired(),
  // The desktop notification of a payment is the main process's alone (electron/lib/payment-notifications.ts):
  // it also works while this window is closed to the tray, and follows the notification settings.
});

export const chargeStore = createChargeStore({ api, storage, recentEvents: () => feedStore.getState().events });
feedStore.getState().subscribe((events) => chargeStore.getState().handleEvents(events));

/**
 * Live <-> test: the other mode is other data. The feed starts over on the other mode's log
 * (history, then the stream), the charge screen goes back to the keypad (a charge of the other
 * mode stays on the display; switching back picks it up), the shop's settings are read again;
 * the screens re-read their lists as they mount again (StaffApp keys them by mode).
 */
export function switchMode(mode: Mode): void {
  if (modeStore.getState().mode === mode) return;
  modeStore.getState().setMode(mode);
  feedStore.getState().reset();
  chargeStore.getState().reset();
  if (sessionStore.getState().status !== 'authenticated') return;
  void appStore.getState().load();
  void feedStore.getState().start();
}

export { bridge };

/** May the signed-in role do this? Screens offer only what it may (the server refuses the rest with 403). */
export function useCan(): (action: Action) => boolean {
  const actions = useStore(sessionStore, (s) => s.actions);
  return (action) => actions === null || actions.includes(action);
}
