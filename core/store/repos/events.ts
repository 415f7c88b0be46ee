import { eventKind, eventLinkId, isSelfContained, packEvent, unpackEventJson } from './event-packing';
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
  /** The event a delta-packed one was packed against (its base), joined in by every read. */
  base_id: number | null;
  base_packed: Uint8Array | null;
  base_data: string | null;
}

/** Every read of the log: an event with its base's bytes beside it. */
const EVENT_SELECT = 'SELECT e.*, b.packed AS base_packed, b.data AS base_data FROM events e LEFT JOIN events b ON b.id = e.base_id';

/**
 * Bases read lately, by id, with their bytes: many events share a base (a link's events, a
 * poster's payments), so a feed or a link's history inflates each base once. An entry is used
 * only for the very bytes it was made from, so a base that was rolled back and whose id was
 * given again (SQLite reuses the ids of a rolled-back transaction) is never mistaken.
 */
const baseCache = new Map<number, { packed: Buffer; json: string }>();
const BASE_CACHE_SIZE = 1024;

/** The JSON of a base event as stored: packed self-contained, or text from before packing. */
function baseJsonOf(id: number, packed: Uint8Array | null, data: string | null): string {
  if (!packed) return data ?? '';
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const hit = baseCache.get(id);
  if (hit && hit.packed.equals(bytes)) return hit.json;
  const json = unpackEventJson(bytes);
  if (baseCache.size >= BASE_CACHE_SIZE) baseCache.delete(baseCache.keys().next().value!);
  baseCache.set(id, { packed: Buffer.from(bytes), json });
  return json;
}

function toEvent(r: EventRow): EventRecord {
  const base = r.base_id === null ? undefined : baseJsonOf(Number(r.base_id), r.base_packed, r.base_data);
  const data = r.packed ? (JSON.parse(unpackEventJson(r.packed, base)) as unknown) : (JSON.parse(r.data) as unknown);
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
          ? await sql.all<EventRow>(`${EVENT_SELECT} WHERE e.id > @afterId ORDER BY e.id LIMIT @limit`, { afterId, limit })
          : await sql.all<EventRow>(`${EVENT_SELECT} WHERE e.id > @afterId AND (e.livemode IS NULL OR e.livemode = @mode) ORDER BY e.id LIMIT @limit`, {
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
        where.push('(e.livemode IS NULL OR e.livemode = @mode)');
        params.mode = q.livemode ? 1 : 0;
      }
      if (q.after !== undefined) {
        where.push('e.id > @after');
        params.after = q.after;
      }
      if (q.before !== undefined) {
        where.push('e.id < @before');
        params.before = q.before;
      }
      if (q.linkId !== undefined) {
        where.push('e.link_seq = (SELECT seq FROM links WHERE id = @linkId)');
        params.linkId = q.linkId;
      }
      const text = `${EVENT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id ${q.order === 'desc' ? 'DESC' : 'ASC'} LIMIT @limit`;
      return (await sql.all<EventRow>(text, params)).map(toEvent);
    },
  };
}

/**
 * How far into a link's events the base of a new one is looked for. The first event of each kind
 * comes early (`link.created` first, the first payment soon after); a kind that first shows up
 * later is packed on its own, and the look-up stays a few rows however long the link's history.
 */
const BASE_SCAN = 32;

interface BaseRow {
  id: number;
  packed: Uint8Array | null;
  data: string;
}

/**
 * The base a new event is packed against: the first event of its kind about the same link, when
 * that one is self-contained (format 1, or JSON from before packing). None for an event about no
 * link, or the first of its kind.
 */
async function baseFor(sql: Sql, type: string, linkId: string | null): Promise<{ id: number; json: string } | undefined> {
  const kind = eventKind(type);
  if (linkId === null || kind === '') return undefined;
  const row = await sql.get<BaseRow>(
    `SELECT f.id, f.packed, f.data FROM (
       SELECT id, type, packed, data, base_id FROM events WHERE link_seq = (SELECT seq FROM links WHERE id = @linkId) ORDER BY id LIMIT ${BASE_SCAN}
     ) f WHERE substr(f.type, 1, @kindLength) = @kindDot AND f.base_id IS NULL ORDER BY f.id LIMIT 1`,
    { linkId, kindDot: `${kind}.`, kindLength: kind.length + 1 },
  );
  if (!row) return undefined;
  const id = Number(row.id);
  if (!row.packed) return { id, json: row.data };
  return isSelfContained(row.packed) ? { id, json: baseJsonOf(id, row.packed, null) } : undefined;
}

/** Writes events in the order given; the adapter decides when (at commit) and under which lock. */
export async function insertEvents(sql: Sql, events: PendingEvent[]): Promise<number[]> {
  const ids: number[] = [];
  for (const e of events) {
    const linkId = eventLinkId(e.type, e.data);
    const base = await baseFor(sql, e.type, linkId);
    const r = await sql.get<{ id: number }>(
      `INSERT INTO events (livemode, type, created_at, data, packed, link_seq, base_id)
       VALUES (@livemode, @type, @createdAt, '', @packed, (SELECT seq FROM links WHERE id = @linkId), @baseId) RETURNING id`,
      {
        livemode: e.livemode === null ? null : e.livemode ? 1 : 0,
        type: e.type,
        createdAt: e.createdAt,
        packed: packEvent(e.data, base?.json),
        linkId,
        baseId: base?.id ?? null,
      },
    );
    ids.push(r!.id);
  }
  return ids;
}
