import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/index';
import { modeOf } from '../http/auth';
import { ValidationError } from '../../core/errors';
import { EventsQuery } from '../schemas/misc';
import { eventPointOfSale, type EventStreams } from './event-stream';
import type { EventView } from '../../core/events';

export function eventRoutes(core: Core, streams: EventStreams): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Events oldest first after a cursor; with Accept: text/event-stream, a live SSE stream resuming after Last-Event-ID',
          querystring: EventsQuery,
          response: {
            200: {
              description: 'A page of events (JSON), or the live stream (text/event-stream: `id`, `event` and `data` lines per event)',
              content: {
                'application/json': { schema: Type.Object({ data: Type.Array(Type.Ref('Event')), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
                'text/event-stream': { schema: Type.String() },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const wantsStream = (request.headers.accept ?? '').includes('text/event-stream');
        const q = request.query;
        if (wantsStream) {
          for (const field of ['before', 'order', 'linkId'] as const) {
            if (q[field] !== undefined) throw ValidationError.field(field, 'applies to the JSON list only, not to the event stream');
          }
          const lastEventId = request.headers['last-event-id'];
          let after = request.query.after;
          if (typeof lastEventId === 'string' && lastEventId !== '') {
            if (!/^\d{1,15}$/.test(lastEventId)) throw ValidationError.field('Last-Event-ID', 'must be an event id');
            after = Number(lastEventId);
          }
          const who = request.principal?.who;
          await streams.open(request, reply, after, modeOf(request), { pointOfSaleId: who?.pointOfSaleId ?? null, who });
          return reply;
        }
        // A reader bound to a point of sale (a paired device) gets that point of sale's events only.
        const scopeTo = request.principal?.who.pointOfSaleId ?? null;
        const posOf = scopeTo === null ? undefined : eventPointOfSale(core);
        const visible = async (page: EventView[]): Promise<EventView[]> => {
          if (!posOf) return page;
          const out: EventView[] = [];
          for (const e of page) if ((await posOf(e)) === scopeTo) out.push(e);
          return out;
        };
        const limit = q.limit ?? 50;
        if (q.before !== undefined || q.order !== undefined || q.linkId !== undefined) {
          // nextCursor goes back as `after` (oldest first) or as `before` (newest first).
          const order = q.order ?? 'asc';
          const events = await core.events.query({ after: q.after, before: q.before, linkId: q.linkId, order, limit: limit + 1, livemode: modeOf(request) === 'live' });
          const page = events.slice(0, limit);
          return { data: await visible(page), nextCursor: events.length > limit ? String(page[page.length - 1]!.id) : null };
        }
        const events = await core.events.after(q.after ?? 0, limit + 1, modeOf(request));
        const page = events.slice(0, limit);
        return { data: await visible(page), nextCursor: events.length > limit ? String(page[page.length - 1]!.id) : null };
      },
    );
  };
}
