import { ApiClient } from './api/client';
import { getBridge } from './bridge';
import { beep } from './lib/beep';
import { createAppStore } from './stores/app';
import { createChargeStore } from './stores/charge';
import { createFeedStore } from './stores/feed';
import { createSessionStore } from './stores/session';
import { formatMoney } from './lib/amount';
import type { Payment } from './api/types';
import i18n from './i18n';

/**
 * The app's singletons. With the desktop bridge: its bearer key; same-origin relative URLs
 * whenever the page itself comes from the app server (or the vite dev proxy), the bridge's
 * server URL only under file://.
 */
const bridge = getBridge();
const sameOrigin = typeof location !== 'undefined' && location.protocol !== 'file:';

const storage = typeof localStorage !== 'undefined' ? localStorage : undefined;

export const api = new ApiClient({
  baseUrl: bridge && !sameOrigin ? bridge.serverUrl.replace(/\/+$/, '') : '',
  ...(bridge ? { apiKey: bridge.apiKey } : {}),
  onUnauthorized: () => sessionStore.getState().expired(),
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

export { bridge };
