import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Page } from '../api/types';
import { errorText } from '../lib/error-text';

export interface ListState<T, F> {
  filters: F;
  items: T[];
  loading: boolean;
  error: string | null;
  /** The cursor each visited page was loaded with (null: the first page). */
  cursors: (string | null)[];
  nextCursor: string | null;
  page: number;
  setFilters(patch: Partial<F>): Promise<void>;
  load(): Promise<void>;
  /** Re-read the current page without a loading state (polling); errors are ignored. */
  refresh(): Promise<void>;
  next(): Promise<void>;
  prev(): Promise<void>;
  /** Replace one item in place (after an action on it) without reloading. */
  replace(item: T): void;
}

export interface ListOptions<T, F> {
  fetchPage: (filters: F, cursor: string | null, limit: number) => Promise<Page<T>>;
  initialFilters: F;
  limit?: number;
  key: (item: T) => string;
}

/**
 * A filtered, cursor-paged list (links, payments). Pages go forward with the server's
 * nextCursor; going back re-reads with the cursor the earlier page was loaded with. Only the
 * newest request's answer is kept, so a fast typist never sees an older search win.
 */
export function createListStore<T, F>(options: ListOptions<T, F>): StoreApi<ListState<T, F>> {
  const limit = options.limit ?? 25;
  let generation = 0;
  return createStore<ListState<T, F>>((set, get) => {
    const fetchAt = async (page: number, cursors: (string | null)[], quiet = false): Promise<void> => {
      const mine = ++generation;
      if (!quiet) set({ loading: true, error: null });
      try {
        const res = await options.fetchPage(get().filters, cursors[page] ?? null, limit);
        if (mine !== generation) return;
        set({ items: res.data, nextCursor: res.nextCursor, page, cursors, loading: false });
      } catch (err) {
        if (mine !== generation) return;
        set(quiet ? { loading: false } : { loading: false, error: errorText(err) });
      }
    };
    return {
      filters: options.initialFilters,
      items: [],
      loading: false,
      error: null,
      cursors: [null],
      nextCursor: null,
      page: 0,
      async setFilters(patch) {
        set({ filters: { ...get().filters, ...patch } });
        await fetchAt(0, [null]);
      },
      load: () => fetchAt(get().page, get().cursors),
      refresh: () => fetchAt(get().page, get().cursors, true),
      async next() {
        const { nextCursor, page, cursors } = get();
        if (!nextCursor) return;
        await fetchAt(page + 1, [...cursors.slice(0, page + 1), nextCursor]);
      },
      async prev() {
        const { page, cursors } = get();
        if (page === 0) return;
        await fetchAt(page - 1, cursors.slice(0, page));
      },
      replace(item) {
        const key = options.key(item);
        set({ items: get().items.map((i) => (options.key(i) === key ? item : i)) });
      },
    };
  });
}
