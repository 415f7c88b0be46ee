import { EventEmitter } from 'node:events';
import type { Store, EventRecord, EventQuery } from './store/store';
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
 * The append-only event log. `append` runs inside the caller's transaction; listeners are told
 * on the next tick, after the transaction has committed, and then read the log themselves
 * from their own cursor — so a listener can never see an event that was rolled back, nor miss one.
 */
export class EventLog {
  private readonly bus = new EventEmitter();
  private notifyScheduled = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.bus.setMaxListeners(0);
  }

  append(type: string, data: unknown): number {
    const id = this.store.events.insert(type, this.clock.now(), data);
    this.scheduleNotify();
    return id;
  }

  after(afterId: number, limit: number): EventView[] {
    return this.store.events.after(afterId, limit).map(eventView);
  }

  /** Filtered reads for the staff UI (a link's timeline, the newest events first). */
  query(q: EventQuery): EventView[] {
    return this.store.events.query(q).map(eventView);
  }

  lastId(): number {
    return this.store.events.lastId();
  }

  /** Called (coalesced) whenever new events may be in the log. Returns an unsubscribe function. */
  onAppended(listener: () => void): () => void {
    this.bus.on('appended', listener);
    return () => this.bus.off('appended', listener);
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      this.bus.emit('appended');
    });
  }
}
