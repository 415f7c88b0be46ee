import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';
import { SseRegistry } from '../http/sse';
import { StoreUnavailableError } from '../../core/errors';
import type { Mode } from '../../core/mode';
import type { Principal } from '../../core/authorization';
import type { EventView } from '../../core/events';

export interface EventStreamOptions {
  /** A comment line at least this often keeps proxies and sleeping Wi-Fi from dropping the stream. */
  heartbeatMs: number;
  /** Events per read from the log while catching up. */
  batch: number;
}

const DEFAULTS: EventStreamOptions = { heartbeatMs: 10_000, batch: 500 };

/** Whose stream it is. */
export interface StreamScope {
  /** Only the events of this point of sale (a paired device's stream); null: all. */
  pointOfSaleId: string | null;
  /** The stream ends when this reader is revoked (a device) or deleted (a staff user). */
  who?: Principal | undefined;
}

/**
 * The point of sale an event is about: its object's own `pointOfSaleId` (links, displays,
 * devices), or that of the link the object names (payments). Null when it is about none (settings,
 * staff users): a reader bound to a point of sale does not see those.
 */
export function eventPointOfSale(core: Core): (e: EventView) => Promise<string | null> {
  const ofLink = new Map<string, string | null>();
  return async (e) => {
    const data = (e.data ?? {}) as { pointOfSaleId?: unknown; linkId?: unknown };
    if (typeof data.pointOfSaleId === 'string') return data.pointOfSaleId;
    if (typeof data.linkId !== 'string') return null;
    if (!ofLink.has(data.linkId)) {
      const pos = await core.links.get(data.linkId).then(
        (l) => l.pointOfSaleId,
        () => null,
      );
      if (ofLink.size > 10_000) ofLink.clear();
      ofLink.set(data.linkId, pos);
    }
    return ofLink.get(data.linkId) ?? null;
  };
}

/** True when this event ends the reader's right to the stream. */
export function endsStreamOf(e: EventView, who: Principal | undefined): boolean {
  if (!who) return false;
  const id = (e.data as { id?: unknown } | null)?.id;
  if (id !== who.id) return false;
  return (e.type === 'device.revoked' && who.kind === 'device') || (e.type === 'staff_user.deleted' && who.kind === 'session');
}

export interface EventStreams {
  open(request: FastifyRequest, reply: FastifyReply, after: number | undefined, mode: Mode, scope?: StreamScope): Promise<void>;
  closeAll(): void;
  count(): number;
}

/**
 * Server-sent events over the event log. Each stream keeps its own cursor and, whenever the log
 * may have grown, reads everything after it: resuming with Last-Event-ID (or ?after=) can
 * neither skip nor repeat an event.
 */
export function eventStreams(core: Core, options: Partial<EventStreamOptions> = {}): EventStreams {
  const opts = { ...DEFAULTS, ...options };
  const streams = new SseRegistry();

  return {
    count: () => streams.size,
    closeAll: () => streams.closeAll(),
    async open(request, reply, after, mode, scope = { pointOfSaleId: null }) {
      const posOf = scope.pointOfSaleId === null ? undefined : eventPointOfSale(core);
      let cursor = after ?? (await core.events.lastId());
      let unsubscribe = (): void => {};
      const sse = streams.open(reply, { heartbeatMs: opts.heartbeatMs, onClose: () => unsubscribe() });

      let writing = false;
      let again = false;
      const flush = (): void => {
        if (writing) {
          again = true;
          return;
        }
        writing = true;
        void (async () => {
          try {
            for (;;) {
              const events = await core.events.after(cursor, opts.batch, mode);
              for (const e of events) {
                cursor = e.id;
                if (endsStreamOf(e, scope.who)) {
                  // Revoked (or deleted) while reading: the stream ends at once, on every server.
                  sse.close();
                  return;
                }
                if (posOf && (await posOf(e)) !== scope.pointOfSaleId) continue;
                sse.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
              }
              if (events.length < opts.batch) break;
            }
          } catch (err) {
            // The database away for a moment: keep the stream; the next commit (or reconnect) reads on.
            if (!(err instanceof StoreUnavailableError)) {
              request.log.warn({ err }, 'event stream write failed');
              sse.close();
            }
          } finally {
            writing = false;
          }
          if (again) {
            again = false;
            setImmediate(flush);
          }
        })();
      };

      unsubscribe = core.events.onAppended(flush);
      flush();
    },
  };
}
