import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index';
import { actorOf, authorize, roleMay, type Action, type Actor, type Principal } from '../../core/authorization';
import type { Tx } from '../../core/context';
import { problem, sendProblem } from './problem';

/**
 * Where the point of sale of what a route touches is found, for a caller bound to one (a paired
 * device). A list or a default narrows to the device's own point of sale (it fills the query or
 * body in), so the route then reads only what it may; anything else named explicitly is checked.
 */
type PosOf = (core: Core, request: FastifyRequest, who: Principal) => Promise<string | null>;

interface RouteRule {
  action: Action;
  pos?: PosOf;
}

type Bag = Record<string, unknown>;

/** `?pointOfSaleId=`; the device's own when missing (lists, the display). */
const posInQuery: PosOf = async (_core, request, who) => {
  const q = (request.query ?? {}) as Bag;
  if (q.pointOfSaleId === undefined) q.pointOfSaleId = who.pointOfSaleId;
  return typeof q.pointOfSaleId === 'string' ? q.pointOfSaleId : null;
};

/** `{pointOfSaleId}` in the body; the device's own when missing (charges, display clear). */
const posInBody: PosOf = async (_core, request, who) => {
  if (request.body === null || request.body === undefined) request.body = {};
  const body = request.body as Bag;
  if (body.pointOfSaleId === undefined) body.pointOfSaleId = who.pointOfSaleId;
  return typeof body.pointOfSaleId === 'string' ? body.pointOfSaleId : null;
};

const posOfLink = async (core: Core, request: FastifyRequest, linkId: unknown): Promise<string | null> =>
  typeof linkId === 'string' ? (await core.links.get(linkId, request.principal?.mode)).pointOfSaleId : null;

const linkInParams: PosOf = (core, request) => posOfLink(core, request, (request.params as Bag).id);
const linkInBody: PosOf = (core, request) => posOfLink(core, request, (request.body as Bag | null)?.linkId);
const paymentInParams: PosOf = async (core, request) => {
  const payment = await core.payments.get(String((request.params as Bag).id), request.principal?.mode);
  return posOfLink(core, request, payment.linkId);
};
/** The route itself narrows what it answers to the caller's point of sale (the event stream). */
const narrowedByRoute: PosOf = async (_core, _request, who) => who.pointOfSaleId;

/**
 * Each route of the Service API and the action it is. A route not listed is `shop.manage`: only
 * owners (and API keys) may use it, so a new route is closed until someone opens it here.
 */
export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'POST /api/v1/charges': { action: 'charges.create', pos: posInBody },
  'GET /api/v1/display': { action: 'display.read', pos: posInQuery },
  'POST /api/v1/display/show': { action: 'display.change', pos: linkInBody },
  'POST /api/v1/display/clear': { action: 'display.change', pos: posInBody },
  'GET /api/v1/links': { action: 'links.read', pos: posInQuery },
  'GET /api/v1/links/:id': { action: 'links.read', pos: linkInParams },
  'GET /api/v1/links/:id/qr': { action: 'links.read', pos: linkInParams },
  'POST /api/v1/links': { action: 'links.manage' },
  'PATCH /api/v1/links/:id': { action: 'links.manage' },
  'POST /api/v1/links/:id/cancel': { action: 'charges.cancel' },
  'DELETE /api/v1/links/:id': { action: 'links.manage' },
  'POST /api/v1/links/:id/send': { action: 'notifications.manage' },
  'GET /api/v1/payments': { action: 'payments.read', pos: posInQuery },
  'GET /api/v1/payments/:id': { action: 'payments.read', pos: paymentInParams },
  'GET /api/v1/payments/:id/epc-qr': { action: 'payments.read', pos: paymentInParams },
  'POST /api/v1/payments/:id/refund': { action: 'payments.refund' },
  'POST /api/v1/payments/:id/confirm-transfer': { action: 'payments.confirm' },
  'GET /api/v1/events': { action: 'events.read', pos: narrowedByRoute },
  'GET /api/v1/points-of-sale': { action: 'pointsOfSale.read' },
  'GET /api/v1/points-of-sale/:id': { action: 'pointsOfSale.read' },
  'GET /api/v1/settings': { action: 'settings.read' },
  'GET /api/v1/payment-methods': { action: 'settings.read' },
  'GET /api/v1/notifications': { action: 'notifications.manage' },
  'GET /api/v1/notifications/:id': { action: 'notifications.manage' },
  'GET /api/v1/notifications/:id/message': { action: 'notifications.manage' },
  'POST /api/v1/notifications/:id/retry': { action: 'notifications.manage' },
  'GET /api/v1/reports/messages': { action: 'notifications.manage' },
  'GET /api/v1/reports/day': { action: 'reports.read' },
  'POST /api/v1/reports/day/close': { action: 'reports.close' },
  'GET /api/v1/exports/payments.csv': { action: 'reports.read' },
  // A receipt for the customer at the counter: anyone who may see the payment may print it.
  'GET /api/v1/payments/:id/receipt.pdf': { action: 'payments.read', pos: paymentInParams },
  'GET /api/v1/receipts/public-key': { action: 'settings.read' },
  'POST /api/v1/receipts/verify': { action: 'settings.read' },
  'POST /api/v1/bank-statements': { action: 'bank.manage' },
  'GET /api/v1/bank-statements': { action: 'bank.manage' },
  'GET /api/v1/bank-credits': { action: 'bank.manage' },
  'POST /api/v1/bank-credits/:id/assign': { action: 'bank.manage' },
  'GET /api/v1/staff/info': { action: 'settings.read' },
  'GET /api/v1/staff/displays': { action: 'pointsOfSale.read' },
  // A device about itself (the route refuses every other caller): its own point of sale only.
  'GET /api/v1/devices/me': { action: 'display.read', pos: narrowedByRoute },
};

export function ruleFor(method: string, url: string | undefined): RouteRule {
  return ROUTE_RULES[`${method === 'HEAD' ? 'GET' : method} ${url ?? ''}`] ?? { action: 'shop.manage' };
}

const refuse = (reply: FastifyReply, reason: string): FastifyReply => sendProblem(reply, problem('forbidden', 403, reason));

/**
 * Part one, as soon as the caller is known (before the body is read): may this role do the
 * route's action at all? Unknown paths pass on to the 404 handler.
 */
export async function checkRole(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const who = request.principal?.who;
  const url = request.routeOptions.url;
  if (!who || url === undefined || request.is404) return undefined;
  const { action } = ruleFor(request.method, url);
  if (roleMay(who.role, action)) return undefined;
  refuse(reply, `A ${who.role} may not do this (${action}).`);
  return reply;
}

/**
 * Part two, preHandler (the body is validated by now): a caller bound to a point of sale acts on
 * that point of sale only. Nothing has changed when it is refused.
 */
export function checkScope(core: Core) {
  return async function scope(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const who = request.principal?.who;
    if (!who || who.pointOfSaleId === null) return undefined;
    const rule = ruleFor(request.method, request.routeOptions.url);
    const pointOfSaleId = rule.pos ? await rule.pos(core, request, who) : null;
    const decision = authorize(who, rule.action, { pointOfSaleId });
    if (decision.ok) return undefined;
    refuse(reply, decision.reason);
    return reply;
  };
}

/** Who makes this request, as its events record it (`actor`). */
export function actorOfRequest(request: FastifyRequest): Actor | undefined {
  return request.principal && actorOf(request.principal.who);
}

/** Runs `operation` with its events recording who did it: charges, refunds (confirmations pass the actor to core). */
export function recordingActor<T>(core: Core, request: FastifyRequest, operation: (t: Tx) => Promise<T>): (t: Tx) => Promise<T> {
  return (t) => {
    core.events.actAs(t, actorOfRequest(request));
    return operation(t);
  };
}
