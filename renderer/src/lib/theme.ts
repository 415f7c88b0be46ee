import { useSyncExternalStore } from 'react';

/**
 * Light or dark, for the staff UI and the counter display: by default as the device says
 * (prefers-color-scheme), or chosen here and kept in localStorage. The choice is applied as
 * <html data-theme="light|dark">; styles.css keys every colour off CSS variables under it.
 * The desktop app's display window shares the staff window's storage, so it follows the switch.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'counterlink.theme';
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): Theme {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : undefined;
  } catch {
    return undefined;
  }
}

function darkQuery(): MediaQueryList | undefined {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
}

const listeners = new Set<() => void>();
let choice: ThemeChoice = parseThemeChoice(storage()?.getItem(THEME_KEY));

function apply(): void {
  if (typeof document === 'undefined') return;
  const theme = resolveTheme(choice, darkQuery()?.matches ?? false);
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  for (const l of listeners) l();
}

/** Applies the stored choice and follows the device and other windows. Call once at start. */
export function initTheme(): void {
  apply();
  darkQuery()?.addEventListener?.('change', apply);
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (e) => {
      if (e.key !== THEME_KEY) return;
      choice = parseThemeChoice(e.newValue);
      apply();
    });
  }
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next;
  try {
    storage()?.setItem(THEME_KEY, next);
  } catch {
    // private mode: the choice lasts for this page
  }
  apply();
}

export function currentTheme(): Theme {
  return resolveTheme(choice, darkQuery()?.matches ?? false);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The choice and what it resolves to now, re-rendering when either changes. */
export function useTheme(): { choice: ThemeChoice; theme: Theme } {
  const snapshot = useSyncExternalStore(
    subscribe,
    () => `${choice}|${currentTheme()}`,
    () => 'system|light',
  );
  const [c, t] = snapshot.split('|') as [ThemeChoice, Theme];
  return { choice: c, theme: t };
}
