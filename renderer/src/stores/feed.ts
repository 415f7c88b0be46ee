import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/client';
import type { EventItem, Page } from '../api/types';
import { isAlert } from '../lib/describe';
import { mergeNewestFirst, ResumableEventStream, type ResumableStreamOptions, type StreamStatus } from '../lib/event-stream';
import { errorText } from '../lib/error-text';

export const FEED_CAP = 300;
const HISTORY = 50;

/**
 * Plumbing, or said already by another event: in a link's timeline (or the webhooks page), not in
 * the feed. A message's queued step is the staff's own click; how it ended is in the feed.
 */
const QUIET = new Set(['display.updated', 'link.locked', 'link.unlocked', 'link.consumed', 'notification.queued', 'webhook_endpoint.updated']);

/** Events staff care about in the feed. */
export function isNotable(e: EventItem): boolean {
  return !QUIET.has(e.type);
}

/** What the unread badge counts: how payments ended (not every step on the way), and alerts. */
export function countsAsUnread(e: EventItem): boolean {
  return (e.type.startsWith('payment.') && e.type !== 'payment.created') || isAlert(e);
}

export interface FeedState {
  events: EventItem[];
  status: StreamStatus;
  /** Payment outcomes that arrived while the feed was not on screen. */
  unread: number;
  sound: boolean;
  /** The feed screen is open: nothing counts as unread. */
  active: boolean;
  loaded: boolean;
  error: string | null;
  lastId: number;
  start(): Promise<void>;
  stop(): void;
  /** Stop and forget everything (the mode changed: the other mode's events are another log). */
  reset(): void;
  setActive(active: boolean): void;
  setSound(on: boolean): void;
  markAllRead(): void;
  /** Live events, oldest first, each once (the charge screen follows its payment with this). */
  subscribe(listener: (events: EventItem[]) => void): () => void;
  /** For tests and the stream: take events in (duplicates and old ones are dropped). */
  ingest(events: EventItem[], live: boolean): void;
}

export interface FeedDeps {
  api: Pick<ApiClient, 'get' | 'fetch'> & { readonly mode?: string | undefined };
  /** The payment chime (only called while sound is on). */
  beep?: () => void;
  /** Every live payment.succeeded (desktop notification while the window is hidden). */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  streamOptions?: Partial<ResumableStreamOptions>;
  /** The stream answered 401: the session ended or this device was revoked on the hub. */
  onUnauthorized?: () => void;
}

/**
 * The live feed: the newest events from the log, then the SSE stream from there on. One cursor
 * (the last id) ties them together, so the history and the stream never overlap or leave a
 * gap, and a reconnect (dropped Wi-Fi, server restart) resumes exactly after it.
 */
export function createFeedStore(deps: FeedDeps): StoreApi<FeedState> {
  const listeners = new Set<(events: EventItem[]) => void>();
  let stream: ResumableEventStream | undefined;
  return createStore<FeedState>((set, get) => ({
    events: [],
    status: 'stopped',
    unread: 0,
    // On unless staff muted it: a payment arriving is worth hearing at a busy counter.
    sound: deps.storage?.getItem('counterlink.sound') !== 'off',
    active: false,
    loaded: false,
    error: null,
    lastId: 0,

    ingest(incoming, live) {
      const fresh = incoming.filter((e) => e.id > get().lastId).sort((a, b) => a.id - b.id);
      if (fresh.length === 0) return;
      const notable = fresh.filter(countsAsUnread).length;
      set({
        events: mergeNewestFirst(get().events, fresh, FEED_CAP),
        lastId: fresh[fresh.length - 1]!.id,
        unread: live && !get().active ? get().unread + notable : get().unread,
      });
      if (!live) return;
      const paid = fresh.filter((e) => e.type === 'payment.succeeded');
      if (paid.length > 0 && get().sound) deps.beep?.();
      for (const l of listeners) l(fresh);
    },

    async start() {
      if (stream) return;
      let after = get().lastId;
      try {
        const history = await deps.api.get<Page<EventItem>>('/api/v1/events', { order: 'desc', limit: HISTORY });
        get().ingest(history.data, false);
        after = get().lastId;
        set({ loaded: true, error: null });
      } catch (err) {
        set({ loaded: true, error: errorText(err) });
      }
      if (stream) return;
      stream = new ResumableEventStream({
        after,
        // The mode goes in the header like every request, and in the query as well: the stream
        // is the one request that proxies and EventSource-style clients might strip headers from.
        open: async (from, signal) => {
          const res = await deps.api.fetch('/api/v1/events', { query: { after: from, mode: deps.api.mode }, headers: { Accept: 'text/event-stream' }, signal });
          if (res.status === 401) deps.onUnauthorized?.();
          return res;
        },
        onEvents: (events) => get().ingest(events, true),
        onStatus: (status) => set({ status }),
        idleTimeoutMs: 35_000,
        ...deps.streamOptions,
      });
      stream.start();
    },

    stop() {
      stream?.stop();
      stream = undefined;
    },

    reset() {
      get().stop();
      set({ events: [], lastId: 0, unread: 0, loaded: false, error: null, status: 'stopped' });
    },

    setActive(active) {
      set(active ? { active, unread: 0 } : { active });
    },

    setSound(on) {
      deps.storage?.setItem('counterlink.sound', on ? 'on' : 'off');
      set({ sound: on });
    },

    markAllRead() {
      set({ unread: 0 });
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  }));
}
