import { ApiClient } from './api/client';
import { getBridge } from './bridge';
import { beep } from './lib/beep';
import { createAppStore } from './stores/app';
import { createChargeStore } from './stores/charge';
import { createFeedStore } from './stores/feed';
import { createSessionStore } from './stores/session';
import { createModeStore, type Mode } from './stores/mode';
import { formatMoney } from './lib/amount';
import type { Action, Payment } from './api/types';
import { useStore } from 'zustand';
import i18n from './i18n';

/**
 * The app's singletons. With the desktop bridge: its bearer key; same-origin relative URLs
 * whenever the page itself comes from the app server (or the vite dev proxy), the bridge's
 * server URL only under file://.
 */
const bridge = getBridge();
const sameOrigin = typeof location !== 'undefined' && location.protocol !== 'file:';

const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;

export const modeStore = createModeStore(storage);

export const api = new ApiClient({
  baseUrl: bridge && !sameOrigin ? bridge.serverUrl.replace(/\/+$/, '') : '',
  ...(bridge ? { apiKey: bridge.apiKey } : {}),
  onUnauthorized: () => sessionStore.getState().expired(),
  mode: () => modeStore.getState().mode,
});

export const sessionStore = createSessionStore(api, { bearer: Boolean(bridge) });
export const appStore = createAppStore(api, storage);

export const feedStore = createFeedStore({
  api,
  storage,
  beep,
  onPaymentSucceeded(events) {
    if (!bridge?.notify || typeof document === 'undefined' || !document.hidden) return;
    for (const e of events) {
      const p = e.data as Payment;
      void bridge.notify({ title: i18n.t('feed.notifyTitle'), body: `${formatMoney(p.amount, p.currency, i18n.language)} · ${p.refId}` }).catch(() => {});
    }
  },
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
