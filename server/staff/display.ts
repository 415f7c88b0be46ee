import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index';
import { SseRegistry } from '../http/sse';
import { problem, sendProblem } from '../http/problem';
import type { PublicDisplayState } from '../../core/display/public';
import { StoreUnavailableError } from '../../core/errors';

export type { PublicDisplayState, PublicLink } from '../../core/display/public';

const PosParams = Type.Object({ posId: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * The customer display's public endpoints, keyed by the unguessable point-of-sale id: its
 * state, and an SSE stream of that state (the current state first, then every change). No
 * staff credential, nothing but display data; CORS-open so a display page served from
 * elsewhere (Electron's file://) can read it.
 */
export async function publicDisplayRoutes(base: FastifyInstance, core: Core, options: { heartbeatMs?: number; maxStreams?: number } = {}): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxStreams = options.maxStreams ?? 200;
  const streams = new SseRegistry();
  app.addHook('preClose', async () => streams.closeAll());

  const settings = core.publicDisplay;
  const stateOf = (posId: string): Promise<PublicDisplayState> => settings.state(posId);

  app.get('/display/:posId/state', { schema: { hide: true, params: PosParams } }, async (request, reply) => {
    await core.sweeper.run();
    const state = await stateOf(request.params.posId);
    return reply.header('Cache-Control', 'no-store').header('Access-Control-Allow-Origin', '*').send(state);
  });

  app.get('/display/:posId/events', { schema: { hide: true, params: PosParams } }, async (request: FastifyRequest<{ Params: { posId: string } }>, reply: FastifyReply) => {
    const posId = request.params.posId;
    await core.pointsOfSale.get(posId); // 404 for an unknown point of sale
    if (streams.size >= maxStreams) {
      reply.header('Retry-After', '10');
      return sendProblem(reply, problem('rate-limited', 429, 'Too many open display streams; try again shortly.'));
    }
    // The cursor is taken before the state is read: a change in between is sent again (harmless), never lost.
    let cursor = await core.events.lastId();
    let unsubscribe = (): void => {};
    const sse = streams.open(reply, { heartbeatMs, headers: { 'Access-Control-Allow-Origin': '*' }, onClose: () => unsubscribe() });
    const send = (state: PublicDisplayState): void => sse.write(`data: ${JSON.stringify(state)}\n\n`);

    let busy = false;
    let again = false;
    const flush = (): void => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      void (async () => {
        try {
          let changed = false;
          const idleLinkId = await settings.idleLinkId(posId);
          for (;;) {
            const events = await core.events.after(cursor, 500);
            for (const e of events) {
              cursor = e.id;
              if (settings.concerns(e, posId, idleLinkId)) changed = true;
            }
            if (events.length < 500) break;
          }
          // Several changes at once (paying, then paid): the display only needs the latest state.
          if (changed) send(await stateOf(posId));
        } catch (err) {
          if (!(err instanceof StoreUnavailableError)) {
            request.log.warn({ err }, 'display stream failed');
            sse.close();
          }
        } finally {
          busy = false;
        }
        if (again) {
          again = false;
          setImmediate(flush);
        }
      })();
    };
    unsubscribe = core.events.onAppended(flush);
    send(await stateOf(posId));
    flush();
    return reply;
  });
}
