import { useSyncExternalStore } from 'react';

/**
 * A tiny client-side router. Served over http(s) (browser mode, or the desktop shell loading
 * pages from the app server) it uses real paths; from file:// it keeps the path in the hash.
 */
const listeners = new Set<() => void>();

function hashMode(): boolean {
  return typeof location !== 'undefined' && location.protocol === 'file:';
}

export function currentPath(): string {
  if (typeof location === 'undefined') return '/';
  if (hashMode()) return location.hash.replace(/^#/, '') || '/';
  return location.pathname + location.search;
}

function notify(): void {
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', notify);
  window.addEventListener('hashchange', notify);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentPath()) return;
  if (hashMode()) {
    if (options.replace) location.replace(`#${path}`);
    else location.hash = path;
  } else if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  notify();
  window.scrollTo?.(0, 0);
}

/** An href for an anchor that works in both modes. */
export function hrefFor(path: string): string {
  return hashMode() ? `#${path}` : path;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current path (with query), re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** "/links/:id" against "/links/pl_1" -> { id: "pl_1" }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const clean = path.split(/[?#]/)[0]!.replace(/\/+$/, '') || '/';
  const p = pattern.split('/');
  const s = clean.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    if (part.startsWith(':')) {
      if (!s[i]) return null;
      try {
        params[part.slice(1)] = decodeURIComponent(s[i]!);
      } catch {
        return null;
      }
    } else if (part !== s[i]) return null;
  }
  return params;
}

export function queryParam(path: string, name: string): string | null {
  const q = path.split('?')[1];
  return q ? new URLSearchParams(q).get(name) : null;
}
