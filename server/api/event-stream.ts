import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';

export interface EventStreamOptions {
  /** A comment line at least this often keeps proxies and sleeping Wi-Fi from dropping the stream. */
  heartbeatMs: number;
  /** Events per read from the log while catching up. */
  batch: number;
}

const DEFAULTS: EventStreamOptions = { heartbeatMs: 10_000, batch: 500 };

export interface EventStreams {
  open(request: FastifyRequest, reply: FastifyReply, after: number | undefined): void;
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
  const open = new Set<() => void>();

  return {
    count: () => open.size,
    closeAll() {
      for (const close of [...open]) close();
    },
    open(request, reply, after) {
      let cursor = after ?? core.events.lastId();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        'X-Content-Type-Options': 'nosniff',
      });
      res.write('retry: 2000\n\n');

      let writing = false;
      let again = false;
      const flush = (): void => {
        if (writing) {
          again = true;
          return;
        }
        writing = true;
        try {
          for (;;) {
            const events = core.events.after(cursor, opts.batch);
            for (const e of events) {
              res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
              cursor = e.id;
            }
            if (events.length < opts.batch) break;
          }
        } catch (err) {
          request.log.warn({ err }, 'event stream write failed');
          close();
        } finally {
          writing = false;
        }
        if (again) {
          again = false;
          setImmediate(flush);
        }
      };

      const unsubscribe = core.events.onAppended(flush);
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs);
      const close = (): void => {
        if (!open.has(close)) return;
        open.delete(close);
        clearInterval(heartbeat);
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      open.add(close);
      res.on('close', close);
      flush();
    },
  };
}
