import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';
import { SseRegistry } from '../http/sse';
import { StoreUnavailableError } from '../../core/errors';
import type { Mode } from '../../core/mode';

export interface EventStreamOptions {
  /** A comment line at least this often keeps proxies and sleeping Wi-Fi from dropping the stream. */
  heartbeatMs: number;
  /** Events per read from the log while catching up. */
  batch: number;
}

const DEFAULTS: EventStreamOptions = { heartbeatMs: 10_000, batch: 500 };

export interface EventStreams {
  open(request: FastifyRequest, reply: FastifyReply, after: number | undefined, mode: Mode): Promise<void>;
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
    async open(request, reply, after, mode) {
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
                sse.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
                cursor = e.id;
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
