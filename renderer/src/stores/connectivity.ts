import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * Whether the app server answers (DESIGN.md: offline-first — the counter's own server is what
 * matters, not the internet). Any request that reaches it marks it reachable; one that cannot
 * marks it unreachable, and the shell then shows a translated banner that retries by itself.
 */
export interface ConnectivityState {
  reachable: boolean;
  /** When the server stopped answering (ms), null while it answers. */
  lostAt: number | null;
  report(reachable: boolean): void;
}

export function createConnectivityStore(now: () => number = Date.now): StoreApi<ConnectivityState> {
  return createStore<ConnectivityState>((set, get) => ({
    reachable: true,
    lostAt: null,
    report(reachable) {
      if (reachable === get().reachable) return;
      set({ reachable, lostAt: reachable ? null : now() });
    },
  }));
}
