import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RevealedSecrets } from '../lib/webhooks';

export interface RevealedState {
  /** Endpoint id -> the secrets the server just showed for it, once. Memory only: never stored. */
  byEndpoint: Record<string, RevealedSecrets>;
  reveal(endpointId: string, secrets: RevealedSecrets | null): void;
  /** Staff confirmed they stored it (or left the page): it is gone for good. */
  forget(endpointId: string): void;
  /** The page showing it unmounts: forget it unless the page comes right back (React's StrictMode remount). */
  release(endpointId: string): void;
  /** The page showing it mounts: cancel a pending release. */
  hold(endpointId: string): void;
}

/**
 * Webhook secrets between the response that carried them and the page that shows them (a new
 * endpoint's page opens after the create form). Nothing here survives a reload, on purpose.
 */
export function createRevealedStore(releaseDelayMs = 0): StoreApi<RevealedState> {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  return createStore<RevealedState>((set, get) => ({
    byEndpoint: {},
    reveal(endpointId, secrets) {
      if (!secrets) return;
      const before = get().byEndpoint[endpointId];
      // Rotating right after creating: keep the encryption key that is still on screen.
      const merged: RevealedSecrets = before ? { ...before, ...secrets } : secrets;
      set({ byEndpoint: { ...get().byEndpoint, [endpointId]: merged } });
    },
    forget(endpointId) {
      get().hold(endpointId);
      if (!(endpointId in get().byEndpoint)) return;
      const rest = { ...get().byEndpoint };
      delete rest[endpointId];
      set({ byEndpoint: rest });
    },
    release(endpointId) {
      get().hold(endpointId);
      pending.set(
        endpointId,
        setTimeout(() => {
          pending.delete(endpointId);
          get().forget(endpointId);
        }, releaseDelayMs),
      );
    },
    hold(endpointId) {
      const timer = pending.get(endpointId);
      if (timer !== undefined) clearTimeout(timer);
      pending.delete(endpointId);
    },
  }));
}

export const revealedStore = createRevealedStore();
