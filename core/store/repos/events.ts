import { eventLinkId, packEvent, unpackEvent } from './event-packing';
import type { Sql } from '../sql/executor';
import type { EventQuery, EventRecord } from '../types';

export interface EventRow {
  id: number;
  livemode: number | null;
  type: string;
  created_at: number;
  /** JSON text of an event written before packing; '' since. */
  data: string;
  packed: Uint8Array | null;
}

function toEvent(r: EventRow): EventRecord {
  const data = r.packed ? unpackEvent(r.packed) : (JSON.parse(r.data) as unknown);
  return { id: r.id, livemode: r.livemode === null ? null : r.livemode === 1, type: r.type, createdAt: r.created_at, data };
}

/** An event waiting in its transaction to be written at commit (see `Tx.events`). */
export interface PendingEvent {
  /** null: shared by both modes. */
  livemode: boolean | null;
  type: string;
  createdAt: number;
  data: unknown;
}

export type EventsReader = ReturnType<typeof eventsReader>;

/** Reading the log. Writing goes through the transaction (`Tx.events.append`), which orders it. */
export function eventsReader(sql: Sql) {
  return {
    /** Events after a cursor, oldest first; with `livemode`, that mode's and the shared ones. */
    after: async (afterId: number, limit: number, livemode?: boolean): Promise<EventRecord[]> =>
      (
        livemode === undefined
          ? await sql.all<EventRow>('SELECT * FROM events WHERE id > @afterId ORDER BY id LIMIT @limit', { afterId, limit })
          : await sql.all<EventRow>('SELECT * FROM events WHERE id > @afterId AND (livemode IS NULL OR livemode = @mode) ORDER BY id LIMIT @limit', {
              afterId,
              limit,
              mode: livemode ? 1 : 0,
            })
      ).map(toEvent),
    lastId: async (): Promise<number> => (await sql.get<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM events'))!.id,
    /**
     * A reader's view of the log: between two ids, in either order, optionally only the events
     * about one link (link.* of it, and everything whose data names it as `linkId`: its payments,
     * its display changes).
     */
    query: async (q: EventQuery): Promise<EventRecord[]> => {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: q.limit };
      if (q.livemode !== undefined) {
        where.push('(livemode IS NULL OR livemode = @mode)');
        params.mode = q.livemode ? 1 : 0;
      }
      if (q.after !== undefined) {
        where.push('id > @after');
        params.after = q.after;
      }
      if (q.before !== undefined) {
        where.push('id < @before');
        params.before = q.before;
      }
      if (q.linkId !== undefined) {
        where.push('link_seq = (SELECT seq FROM links WHERE id = @linkId)');
        params.linkId = q.linkId;
      }
      const text = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${q.order === 'desc' ? 'DESC' : 'ASC'} LIMIT @limit`;
      return (await sql.all<EventRow>(text, params)).map(toEvent);
    },
  };
}

/** Writes events in the order given; the adapter decides when (at commit) and under which lock. */
export async function insertEvents(sql: Sql, events: PendingEvent[]): Promise<number[]> {
  const ids: number[] = [];
  for (const e of events) {
    const r = await sql.get<{ id: number }>(
      `INSERT INTO events (livemode, type, created_at, data, packed, link_seq)
       VALUES (@livemode, @type, @createdAt, '', @packed, (SELECT seq FROM links WHERE id = @linkId)) RETURNING id`,
      {
        livemode: e.livemode === null ? null : e.livemode ? 1 : 0,
        type: e.type,
        createdAt: e.createdAt,
        packed: packEvent(e.data),
        linkId: eventLinkId(e.type, e.data),
      },
    );
    ids.push(r!.id);
  }
  return ids;
}
