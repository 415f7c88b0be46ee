import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { DomainError } from '../../core/errors';

/**
 * How many payments the public dialog starts per window: per address (one script cannot lock
 * every single-use link) and per link (many addresses cannot hold one link's uses either).
 */
export interface DialogRateLimit {
  perAddress: number;
  perLink: number;
  windowMs: number;
}

export const DEFAULT_DIALOG_RATE_LIMIT: DialogRateLimit = { perAddress: 20, perLink: 10, windowMs: 60_000 };

/**
 * COUNTERLINK_DIALOG_RATE_LIMIT: `perAddress/perLink` per minute (`20/10`), optionally with the
 * window in seconds (`20/10/60`); `off` turns the limit off. Throws on anything else.
 */
export function parseDialogRateLimit(value: string): DialogRateLimit | false {
  const v = value.trim().toLowerCase();
  if (v === 'off' || v === 'false' || v === 'none') return false;
  const m = /^(\d{1,7})\/(\d{1,7})(?:\/(\d{1,6}))?$/.exec(v);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || (m[3] !== undefined && Number(m[3]) < 1)) {
    throw new Error(`COUNTERLINK_DIALOG_RATE_LIMIT must be "perAddress/perLink" per minute (e.g. "20/10"), optionally "/seconds", or "off" (got ${JSON.stringify(value)})`);
  }
  return { perAddress: Number(m[1]), perLink: Number(m[2]), windowMs: m[3] === undefined ? 60_000 : Number(m[3]) * 1000 };
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * A hook for the route that starts payments: counts the request against its address (IPv6 by
 * /64, `request.ip`, so COUNTERLINK_TRUST_PROXY decides which hop that is) and then against its
 * link; over either limit it throws `rate-limited` (429) with Retry-After, which the route's
 * error handler turns into problem+json or, for a form post, the dialog's page. A request the
 * address limit refuses does not use up the link's allowance. Undefined when the limit is off.
 */
export async function startPaymentRateLimit(app: FastifyInstance, limits: DialogRateLimit | false = DEFAULT_DIALOG_RATE_LIMIT): Promise<Hook | undefined> {
  if (limits === false) return undefined;
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
  const byAddress = app.createRateLimit({ max: limits.perAddress, timeWindow: limits.windowMs, keyGenerator: (request) => `address:${normalizeIP(request.ip)}` });
  const byLink = app.createRateLimit({
    max: limits.perLink,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `link:${(request.params as { linkId?: string } | undefined)?.linkId ?? ''}`,
  });
  return async function limitStartPayment(request, reply) {
    for (const [check, what] of [
      [byAddress, 'from this address'],
      [byLink, 'on this link'],
    ] as const) {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) continue;
      const seconds = Math.max(1, result.ttlInSeconds);
      reply.header('Retry-After', String(seconds));
      throw new DomainError('rate-limited', `Too many payments started ${what}. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
  };
}
