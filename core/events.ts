import type { Store, Tx } from './store/port';
import type { EventRecord, EventQuery } from './store/types';
import type { Clock } from './clock';
import { toIso } from './clock';

export interface EventView {
  id: number;
  type: string;
  createdAt: string;
  data: unknown;
}

export function eventView(e: EventRecord): EventView {
  return { id: e.id, type: e.type, createdAt: toIso(e.createdAt), data: e.data };
}

/**
 * The append-only event log. `append` is part of the caller's transaction and is written at its
 * commit; listeners are told after the commit (on PostgreSQL: after any server's commit) and then
 * read the log themselves from their own cursor — so a listener can never see an event that was
 * rolled back, nor miss one.
 */
export class EventLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  append(t: Tx, type: string, data: unknown): void {
    t.events.append(type, this.clock.now(), data);
  }

  after(afterId: number, limit: number): Promise<EventView[]> {
    return this.store.read(async (t) => (await t.eventLog.after(afterId, limit)).map(eventView));
  }

  /** Filtered reads for the staff UI (a link's timeline, the newest events first). */
  query(q: EventQuery): Promise<EventView[]> {
    return this.store.read(async (t) => (await t.eventLog.query(q)).map(eventView));
  }

  lastId(): Promise<number> {
    return this.store.read((t) => t.eventLog.lastId());
  }

  /** Called (coalesced per commit) whenever new events may be in the log. Returns an unsubscribe function. */
  onAppended(listener: () => void): () => void {
    return this.store.onEventsCommitted(listener);
  }
}
