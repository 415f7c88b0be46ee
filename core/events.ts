import type { Store, Tx } from './store/port';
import type { EventRecord, EventQuery } from './store/types';
import type { Clock } from './clock';
import { toIso } from './clock';
import { ValidationError } from './errors';
import { isLive, type Mode } from './mode';
import type { Actor } from './authorization';
import type { EventPayloads, EventType } from './event-catalogue';

export interface EventView {
  id: number;
  /** null for what both modes share (points of sale, settings). */
  livemode: boolean | null;
  type: EventType;
  createdAt: string;
  data: unknown;
}

/** An id a reader may resume from: a whole number both stores can compare (not 1e400, not 1e20). */
function checkEventId(field: string, id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw ValidationError.field(field, 'must be an event id');
}

export function eventView(e: EventRecord): EventView {
  // The log is written through `EventLog.append` only, so a stored type is a catalogue type.
  return { id: e.id, livemode: e.livemode, type: e.type as EventType, createdAt: toIso(e.createdAt), data: e.data };
}

/**
 * The append-only event log. `append` is part of the caller's transaction and is written at its
 * commit; listeners are told after the commit (on PostgreSQL: after any server's commit) and then
 * read the log themselves from their own cursor — so a listener can never see an event that was
 * rolled back, nor miss one.
 */
export class EventLog {
  /** Who acts in a transaction (see `actAs`). */
  private readonly actors = new WeakMap<Tx, Actor>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Records who does what this transaction does: every event it appends carries `actor` in its
   * data (charges, refunds, confirmations, staff actions: the audit trail of the event log).
   */
  actAs(t: Tx, actor: Actor | undefined): void {
    if (actor) this.actors.set(t, actor);
  }

  /**
   * The event belongs to its object's mode (`data.livemode`); without one, to both. The type is one
   * of the catalogue's (core/event-catalogue.ts) and the data its payload, checked at compile time.
   */
  append<K extends EventType>(t: Tx, type: K, data: EventPayloads[K]): void {
    const livemode = (data as { livemode?: unknown } | null)?.livemode;
    const actor = this.actors.get(t);
    const recorded = actor && data !== null && typeof data === 'object' && !Array.isArray(data) ? { ...data, actor } : data;
    t.events.append(type, this.clock.now(), recorded, typeof livemode === 'boolean' ? livemode : null);
  }

  /** Events after a cursor; with `mode`, only that mode's and the shared ones. */
  after(afterId: number, limit: number, mode?: Mode): Promise<EventView[]> {
    checkEventId('after', afterId);
    const livemode = mode === undefined ? undefined : isLive(mode);
    return this.store.read(async (t) => (await t.eventLog.after(afterId, limit, livemode)).map(eventView));
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
