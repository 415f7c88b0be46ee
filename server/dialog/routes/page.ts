import { createElement } from 'react';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LinkRecord, Locale } from '../../../core/links/types';
import type { PayerView } from '../../../core/payments/service';
import { LOCALES, localeFromSegment } from '../i18n';
import { PayPage, payPageLink, type PayField, type PayFormValues } from '../pages/pay';
import { LinkParams, LocaleLinkParams } from '../../schemas/dialog';
import { STRIPE_CHECKOUT_ORIGIN, collectData, dialogPath, renderPage, sendHtml } from '../http';
import { type Dialog, blocker, defaultLocale, html, pageContextOf } from './context';
import { linkOrNotFound, orNotFoundPage, sendUnavailable } from './unavailable';

/** The most the payer may enter now: the per-payment limit and what is left of the total, if any. */
function maxAmountOf(link: LinkRecord): number | null {
  const remaining = link.totalAmountLimit === null ? null : link.totalAmountLimit - link.usedAmount - link.pendingAmount;
  const limits = [link.perPaymentLimit, remaining].filter((v): v is number => v !== null);
  return limits.length ? Math.max(0, Math.min(...limits)) : null;
}

/** The pay page: fresh (GET) or again with the payer's values and an error (a refused form post). */
export async function sendPayPage(
  d: Dialog,
  reply: FastifyReply,
  status: number,
  link: LinkRecord,
  locale: Locale,
  data: Record<string, string>,
  values?: PayFormValues,
  error?: { message: string; field?: PayField },
) {
  const offer = await d.core.payments.offerForLink(link);
  const merchant = await d.core.settings.readMerchant();
  return sendPayPageOf(d, reply, status, { link, merchant, offer }, locale, data, values, error);
}

/** The pay page from what was read for it (`payments.payerView`, or the two reads above). */
function sendPayPageOf(
  d: Dialog,
  reply: FastifyReply,
  status: number,
  { link, merchant, offer: { methods, tips } }: PayerView,
  locale: Locale,
  data: Record<string, string>,
  values?: PayFormValues,
  error?: { message: string; field?: PayField },
) {
  const props = {
    ctx: pageContextOf(d, merchant, locale, link.country),
    link: payPageLink(link),
    maxAmount: maxAmountOf(link),
    data,
    methods,
    tips,
    languages: Object.fromEntries(LOCALES.map((l) => [l, dialogPath(l, link.id, data)])),
    ...(values ? { values } : {}),
    ...(error ? { error } : {}),
  };
  const make = () => renderPage(createElement(PayPage, props));
  // A fresh page is kept for the next payer; one with what a payer typed is theirs alone.
  const page = values || error ? make() : d.payPages.render(props, make);
  return sendHtml(reply, status, page, link, methods.includes('stripe') ? [STRIPE_CHECKOUT_ORIGIN] : []);
}

/** GET the dialog: the pay page of a link, or the page saying why it cannot be paid. */
export function pageRoutes(d: Dialog): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.get('/:locale/pay-by-link/:linkId', { schema: { hide: true, params: LocaleLinkParams }, config: html }, async (request, reply) => {
      const segmentLocale = localeFromSegment(request.params.locale);
      const data = collectData(request.query as Record<string, unknown>);
      // The link and all its pay page shows, in one read.
      const view = await orNotFoundPage(d, reply, segmentLocale, () => d.core.payments.payerView(request.params.linkId));
      if (!view) return reply;
      const { link } = view;
      // An unsupported locale segment shows the link in its own language (no redirect, no 404).
      const locale = segmentLocale ?? link.locale;
      const blocked = blocker(d.core, link);
      if (blocked) return await sendUnavailable(d, reply, blocked, locale, { link, data, request });
      return sendPayPageOf(d, reply, 200, view, locale, data);
    });

    /** Without a locale: the link's own language. */
    app.get('/pay-by-link/:linkId', { schema: { hide: true, params: LinkParams }, config: html }, async (request, reply) => {
      const link = await linkOrNotFound(d, reply, request.params.linkId, await defaultLocale(d.core));
      if (!link) return reply;
      return reply.redirect(dialogPath(link.locale, link.id, collectData(request.query as Record<string, unknown>)), 302);
    });
  };
}
