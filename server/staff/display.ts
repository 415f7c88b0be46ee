import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index';
import { SseRegistry } from '../http/sse';
import { problem, sendProblem } from '../http/problem';
import type { PublicDisplayState } from '../../core/display/public';
import { StoreUnavailableError } from '../../core/errors';
import { DEVICE_TOKEN_PREFIX } from '../../core/devices';
import { authorize, type Principal } from '../../core/authorization';
import { bearerToken } from '../http/auth';
import { endsStreamOf } from '../api/event-stream';

export type { PublicDisplayState, PublicLink } from '../../core/display/public';

const PosParams = Type.Object({ posId: Type.String({ minLength: 1, maxLength: 100 }) });

/** How often an open stream of a paired display re-checks its token (and so records its last contact). */
const RECHECK_MS = 60_000;

/**
 * The reader of a display request. Without `Authorization` it is the public page, as always
 * (undefined). With a paired device's token (a display tablet, or a counter showing its own
 * display) it must be a working token of this point of sale: otherwise 401 (unknown or revoked,
 * so the tablet can say it was removed) or 403, and the reply has been sent (null).
 */
async function displayReader(core: Core, request: FastifyRequest, reply: FastifyReply, posId: string): Promise<{ who: Principal; token: string } | undefined | null> {
  if (request.headers.authorization === undefined) return undefined;
  const token = bearerToken(request);
  const device = token !== undefined && token.startsWith(DEVICE_TOKEN_PREFIX) ? await core.devices.authenticate(token) : undefined;
  if (!token || !device) {
    reply.header('WWW-Authenticate', 'Bearer realm="counterlink"').header('Access-Control-Allow-Origin', '*');
    await sendProblem(reply, problem('unauthorized', 401, 'This device is not paired with this hub (removed, or the token is unknown). Pair it again.'));
    return null;
  }
  const who: Principal = { kind: 'device', id: device.id, name: device.name, role: device.role, pointOfSaleId: device.pointOfSaleId };
  const decision = authorize(who, 'display.read', { pointOfSaleId: posId });
  if (!decision.ok) {
    await sendProblem(reply, problem('forbidden', 403, decision.reason));
    return null;
  }
  return { who, token };
}

/**
 * The customer display's public endpoints, keyed by the unguessable point-of-sale id: its
 * state, and an SSE stream of that state (the current state first, then every change). No
 * staff credential, nothing but display data; CORS-open so a display page served from
 * elsewhere (Electron's file://) can read it. A paired display tablet sends its device token
 * (API.md: a display's token may read its display's state and stream): the hub then sees its
 * last contact, and revoking it answers 401 and closes its stream at once.
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
    if ((await displayReader(core, request, reply, request.params.posId)) === null) return reply;
    const state = await stateOf(request.params.posId);
    return reply.header('Cache-Control', 'no-store').header('Access-Control-Allow-Origin', '*').send(state);
  });

  app.get('/display/:posId/events', { schema: { hide: true, params: PosParams } }, async (request: FastifyRequest<{ Params: { posId: string } }>, reply: FastifyReply) => {
    const posId = request.params.posId;
    const reader = await displayReader(core, request, reply, posId);
    if (reader === null) return reply;
    await core.pointsOfSale.get(posId); // 404 for an unknown point of sale
    if (streams.size >= maxStreams) {
      reply.header('Retry-After', '10');
      return sendProblem(reply, problem('rate-limited', 429, 'Too many open display streams; try again shortly.'));
    }
    // The cursor is taken before the state is read: a change in between is sent again (harmless), never lost.
    let cursor = await core.events.lastId();
    let unsubscribe = (): void => {};
    let recheck: ReturnType<typeof setInterval> | undefined;
    const sse = streams.open(reply, {
      heartbeatMs,
      headers: { 'Access-Control-Allow-Origin': '*' },
      onClose: () => {
        unsubscribe();
        if (recheck) clearInterval(recheck);
      },
    });
    if (reader) {
      // A paired tablet holds one stream for hours: its last contact is kept current, and a
      // token that stopped working (revoked while this server missed the event) ends the stream.
      recheck = setInterval(() => {
        core.devices.authenticate(reader.token).then(
          (device) => device === undefined && sse.close(),
          () => undefined,
        );
      }, RECHECK_MS);
      recheck.unref();
    }
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
              if (endsStreamOf(e, reader?.who)) {
                // Revoked on the hub: the tablet's stream ends at once; its next request is a 401.
                sse.close();
                return;
              }
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
