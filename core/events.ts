import type { Store, Tx } from './store/port';
import type { EventRecord, EventQuery } from './store/types';
import type { Clock } from './clock';
import { toIso } from './clock';
import { ValidationError } from './errors';

export interface EventView {
  id: number;
  type: string;
  createdAt: string;
  data: unknown;
}

/** An id a reader may resume from: a whole number both stores can compare (not 1e400, not 1e20). */
function checkEventId(field: string, id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw ValidationError.field(field, 'must be an event id');
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
    checkEventId('after', afterId);
    return this.store.read(async (t) => (await t.eventLog.after(afterId, limit)).map(eventView));
  }

  /** Filtered reads for the staff UI (a link's timeline, the newest events first). */
  query(q: EventQuery): Promise<EventView[]> {
    if (q.after !== undefined) checkEventId('after', q.after);
    if (q.before !== undefined) checkEventId('before', q.before);
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
