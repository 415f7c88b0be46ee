import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index';
import { SseRegistry } from '../http/sse';
import { problem, sendProblem } from '../http/problem';
import type { DisplayView } from '../../core/display/service';
import type { LinkView } from '../../core/links/view';
import type { EventView } from '../../core/events';
import { DomainError, notFound } from '../../core/errors';
import { isPayable } from '../../core/links/status';

const IDLE_SETTING = 'staffDisplays';

type DisplayConfig = Record<string, { idleLinkId: string | null }>;

/** What a counter display may know about a link: what the customer sees anyway. */
export interface PublicLink {
  name: string;
  description: string | null;
  reference: string | null;
  amount: string | null;
  minAmount: string | null;
  currency: string;
  url: string;
  expiresAt: string | null;
  locale: string;
}

/**
 * The public, read-only state of one point of sale's customer display. It carries nothing the
 * display does not put on screen: no payer data, no metadata, no ids besides the point of sale's.
 */
export interface PublicDisplayState {
  pointOfSaleId: string;
  /** `paying`: a customer has started paying the link on show. */
  mode: 'idle' | 'link' | 'paying' | 'result';
  merchantName: string;
  /** Language for the customer: the link's when one is on show, else the merchant's default. */
  locale: string;
  link: PublicLink | null;
  result: { status: string; amount: string; currency: string } | null;
  /** The reusable link shown while idle, when one is chosen and can be paid. */
  idleLink: PublicLink | null;
  updatedAt: string;
  /** For a display whose clock is off: time left = expiresAt - serverTime, counted locally. */
  serverTime: string;
}

function publicLink(link: LinkView): PublicLink {
  return {
    name: link.name,
    description: link.description,
    reference: link.reference,
    amount: link.amount,
    minAmount: link.minAmount,
    currency: link.currency,
    url: link.url,
    expiresAt: link.expiresAt,
    locale: link.locale,
  };
}

/** Idle links per point of sale (the "scan to pay" QR of a shop at rest), kept in settings. */
export class DisplaySettings {
  constructor(private readonly core: Core) {}

  private all(): DisplayConfig {
    return this.core.settings.stored<DisplayConfig>(IDLE_SETTING) ?? {};
  }

  idleLinkId(posId: string): string | null {
    return this.all()[posId]?.idleLinkId ?? null;
  }

  /** The idle link as the display shows it: only while it can be paid. */
  idleLink(posId: string): LinkView | null {
    const id = this.idleLinkId(posId);
    if (!id) return null;
    try {
      const link = this.core.links.get(id);
      return isPayable(link.status) ? link : null;
    } catch {
      return null;
    }
  }

  list(): { pointOfSaleId: string; name: string; idleLinkId: string | null; path: string }[] {
    const config = this.all();
    return this.core.pointsOfSale.list().map((p) => ({ pointOfSaleId: p.id, name: p.name, idleLinkId: config[p.id]?.idleLinkId ?? null, path: `/display/${p.id}` }));
  }

  /** Chooses (or with null clears) the idle link; the display hears of it at once (display.updated). */
  setIdleLink(posId: string, idleLinkId: string | null): { pointOfSaleId: string; name: string; idleLinkId: string | null; path: string } {
    const pos = this.core.pointsOfSale.get(posId);
    if (idleLinkId !== null) {
      const link = this.core.links.get(idleLinkId);
      if (link.reuse !== 'multiple' || link.type !== 'payment') {
        throw new DomainError('link-not-usable', 'Only a reusable payment link can stay on the display.', { linkStatus: link.status });
      }
      if (!isPayable(link.status)) throw new DomainError('link-not-usable', `A link that is ${link.status} cannot be shown.`, { linkStatus: link.status });
    }
    const { store, events } = this.core;
    store.tx(() => {
      this.core.settings.save(IDLE_SETTING, { ...this.all(), [posId]: { idleLinkId } });
      events.append('display.updated', this.core.display.get(posId));
    });
    return { pointOfSaleId: pos.id, name: pos.name, idleLinkId, path: `/display/${pos.id}` };
  }

  publicState(view: DisplayView): PublicDisplayState {
    const merchant = this.core.settings.merchant();
    const idle = this.idleLink(view.pointOfSaleId);
    const link = view.mode === 'idle' ? null : view.link;
    const payment = view.payment;
    const mode = view.mode === 'link' && payment?.status === 'pending' ? 'paying' : view.mode;
    return {
      pointOfSaleId: view.pointOfSaleId,
      mode,
      merchantName: merchant.merchantName,
      locale: link?.locale ?? merchant.defaultLocale,
      link: link ? publicLink(link) : null,
      result: view.mode === 'result' && payment ? { status: payment.status, amount: payment.amount, currency: payment.currency } : null,
      idleLink: idle ? publicLink(idle) : null,
      updatedAt: view.updatedAt,
      serverTime: new Date(this.core.clock.now()).toISOString(),
    };
  }

  /** Whether this event can change what the display of `posId` shows. */
  concerns(event: EventView, posId: string, idleLinkId: string | null): boolean {
    const data = event.data as { pointOfSaleId?: unknown; id?: unknown } | null;
    if (event.type === 'display.updated') return data?.pointOfSaleId === posId;
    if (event.type === 'point_of_sale.updated') return data?.id === posId;
    return idleLinkId !== null && event.type.startsWith('link.') && data?.id === idleLinkId;
  }
}

const PosParams = Type.Object({ posId: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * The customer display's public endpoints, keyed by the unguessable point-of-sale id: its
 * state, and an SSE stream of that state (the current state first, then every change). No
 * staff credential, nothing but display data; CORS-open so a display page served from
 * elsewhere (Electron's file://) can read it.
 */
export async function publicDisplayRoutes(base: FastifyInstance, core: Core, settings: DisplaySettings, options: { heartbeatMs?: number; maxStreams?: number } = {}): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxStreams = options.maxStreams ?? 200;
  const streams = new SseRegistry();
  app.addHook('preClose', async () => streams.closeAll());

  const stateOf = (posId: string): PublicDisplayState => settings.publicState(core.display.get(posId));

  app.get('/display/:posId/state', { schema: { hide: true, params: PosParams } }, async (request, reply) => {
    core.sweeper.run();
    const state = stateOf(request.params.posId);
    return reply.header('Cache-Control', 'no-store').header('Access-Control-Allow-Origin', '*').send(state);
  });

  app.get('/display/:posId/events', { schema: { hide: true, params: PosParams } }, async (request: FastifyRequest<{ Params: { posId: string } }>, reply: FastifyReply) => {
    const posId = request.params.posId;
    if (!core.store.pointsOfSale.get(posId)) throw notFound('point of sale', posId);
    if (streams.size >= maxStreams) {
      reply.header('Retry-After', '10');
      return sendProblem(reply, problem('rate-limited', 429, 'Too many open display streams; try again shortly.'));
    }
    // The cursor is taken before the state is read: a change in between is sent again (harmless), never lost.
    let cursor = core.events.lastId();
    let unsubscribe = (): void => {};
    const sse = streams.open(reply, { heartbeatMs, headers: { 'Access-Control-Allow-Origin': '*' }, onClose: () => unsubscribe() });
    const send = (state: PublicDisplayState): void => sse.write(`data: ${JSON.stringify(state)}\n\n`);

    const flush = (): void => {
      try {
        let changed = false;
        const idleLinkId = settings.idleLinkId(posId);
        for (;;) {
          const events = core.events.after(cursor, 500);
          for (const e of events) {
            cursor = e.id;
            if (settings.concerns(e, posId, idleLinkId)) changed = true;
          }
          if (events.length < 500) break;
        }
        // Several changes at once (paying, then paid): the display only needs the latest state.
        if (changed) send(stateOf(posId));
      } catch (err) {
        request.log.warn({ err }, 'display stream failed');
        sse.close();
      }
    };
    unsubscribe = core.events.onAppended(flush);
    send(stateOf(posId));
    flush();
    return reply;
  });
}
