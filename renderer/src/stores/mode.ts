import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * Live or test mode (API.md "Live and test mode"), Stripe-style: the staff UI shows one mode at a
 * time and says so on every request (`Counterlink-Mode` header; `?mode=` where a header cannot
 * go). The choice is kept per browser. Test mode is where a new install starts: nothing there
 * moves real money, and the whole UI is marked TEST while it is on.
 */
export type Mode = 'live' | 'test';

export const MODES: readonly Mode[] = ['live', 'test'];
export const MODE_HEADER = 'Counterlink-Mode';
export const MODE_STORAGE_KEY = 'counterlink.mode';
export const DEFAULT_MODE: Mode = 'test';

export function parseMode(value: unknown): Mode | null {
  return value === 'live' || value === 'test' ? value : null;
}

/** Whether an object (link, payment, event…) belongs to test mode: only an explicit `livemode: false` says so. */
export function isTestObject(object: { livemode?: boolean | null } | null | undefined): boolean {
  return object?.livemode === false;
}

export interface ModeState {
  mode: Mode;
  setMode(mode: Mode): void;
}

export function createModeStore(storage?: Pick<Storage, 'getItem' | 'setItem'>): StoreApi<ModeState> {
  let stored: Mode | null = null;
  try {
    stored = parseMode(storage?.getItem(MODE_STORAGE_KEY));
  } catch {
    // storage off: the default
  }
  return createStore<ModeState>((set, get) => ({
    mode: stored ?? DEFAULT_MODE,
    setMode(mode) {
      if (!parseMode(mode) || mode === get().mode) return;
      try {
        storage?.setItem(MODE_STORAGE_KEY, mode);
      } catch {
        // kept in memory
      }
      set({ mode });
    },
  }));
}
