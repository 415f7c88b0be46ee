import { createStore, type StoreApi } from 'zustand/vanilla';
import { ApiError, type ApiClient } from '../api/client';
import type { Action, SessionInfo } from '../api/types';
import { errorText, loginErrorText } from '../lib/error-text';

export interface SessionState {
  status: 'loading' | 'anonymous' | 'authenticated';
  method: SessionInfo['method'];
  pinSet: boolean;
  /** Who is signed in (a staff user), null for the shop's PIN or a key. */
  user: { id: string; name: string; role: string } | null;
  role: string | null;
  /** What the role may do; null: everything (the desktop app's own credential). */
  actions: Action[] | null;
  /** Staff users to pick from at sign-in. */
  users: { id: string; name: string }[];
  error: string | null;
  /** Seconds to wait after too many failed attempts. */
  retryAfter: number | null;
  busy: boolean;
  check(): Promise<void>;
  loginWithPin(pin: string, userId?: string): Promise<boolean>;
  /** May the signed-in role do this? The UI offers an action only when it may. */
  can(action: Action): boolean;
  loginWithKey(apiKey: string): Promise<boolean>;
  logout(): Promise<void>;
  /** Any API call got 401: back to the login. */
  expired(): void;
}

/** Who signed in and what their role may do; a server without roles (older) leaves every action open. */
function who(res: SessionInfo): Pick<SessionState, 'user' | 'role' | 'actions'> {
  return { user: res.user ?? null, role: res.role ?? null, actions: res.authenticated && res.actions ? res.actions : null };
}

/**
 * Who is using the UI. With the desktop bridge the bearer key is the credential and there is
 * no login; in a browser the server's session cookie (httpOnly: the UI never sees it) is.
 * A paired counter's token (`device`) is a bearer too, but its role may do little: the session
 * route tells what (`actions`), as it does for a signed-in staff user, before anything is shown.
 */
export function createSessionStore(api: ApiClient, options: { bearer: boolean; device?: boolean }): StoreApi<SessionState> {
  const device = options.bearer && options.device === true;
  return createStore<SessionState>((set, get) => {
    const login = async (body: Record<string, string>): Promise<boolean> => {
      set({ busy: true, error: null, retryAfter: null });
      try {
        const res = await api.post<SessionInfo>('/staff/login', body);
        set({ status: 'authenticated', method: res.method, pinSet: res.pinSet, busy: false, ...who(res) });
        return true;
      } catch (err) {
        const retryAfter = err instanceof ApiError && typeof err.problem.retryAfterSeconds === 'number' ? err.problem.retryAfterSeconds : null;
        set({ busy: false, error: loginErrorText(err), retryAfter });
        return false;
      }
    };
    return {
      status: options.bearer && !device ? 'authenticated' : 'loading',
      method: device ? 'device' : options.bearer ? 'bearer' : null,
      pinSet: false,
      user: null,
      role: null,
      actions: null,
      users: [],
      error: null,
      retryAfter: null,
      busy: false,
      async check() {
        if (options.bearer && !device) return;
        try {
          const res = await api.get<SessionInfo>('/staff/session');
          set({ status: res.authenticated ? 'authenticated' : 'anonymous', method: device ? 'device' : res.method, pinSet: res.pinSet, users: res.users ?? [], ...who(res) });
        } catch (err) {
          set({ status: 'anonymous', error: errorText(err) });
        }
      },
      loginWithPin: (pin, userId) => login(userId === undefined ? { method: 'pin', pin } : { method: 'pin', pin, userId }),
      can(action) {
        const { actions } = get();
        return actions === null || actions.includes(action);
      },
      loginWithKey: (apiKey) => login({ method: 'apiKey', apiKey }),
      async logout() {
        if (options.bearer) return;
        try {
          await api.post('/staff/logout');
        } finally {
          set({ status: 'anonymous', method: null, error: null });
          void get().check();
        }
      },
      expired() {
        if (device && get().status === 'authenticated') {
          // Revoked on the hub: the device's token is dead everywhere; say so (no login here).
          set({ status: 'anonymous' });
          return;
        }
        if (options.bearer || get().status !== 'authenticated') return;
        set({ status: 'anonymous', method: null });
        void get().check();
      },
    };
  });
}
