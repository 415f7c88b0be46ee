import { createElement } from 'react';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LinkRecord, Locale } from '../../../core/links/types';
import { cancelAction } from '../components';
import { LOCALES, localeFromSegment } from '../i18n';
import { UnavailablePage, UNAVAILABLE_STATUS, type UnavailableKind } from '../pages/unavailable';
import { continuePath, dialogPath, isDomain, ownCookie, readCookie, sendHtml } from '../http';
import { type Dialog, defaultLocale, pageContext, paymentOfLink } from './context';

interface UnavailableOptions {
  /** The link, when it exists: its name, retry URL and language links are shown. */
  link?: LinkRecord;
  /** The `data[…]` the payer came with, kept on the retry and language links. */
  data?: Record<string, string>;
  /** For a locked link: the request whose cookie may name this browser's own pending payment. */
  request?: FastifyRequest;
  /** Overrides the kind's own status code (an error page keeps the error's status). */
  status?: number;
}

/** The page for a link that cannot be paid (or does not exist), with its status code. */
export async function sendUnavailable(d: Dialog, reply: FastifyReply, kind: UnavailableKind, locale: Locale, options: UnavailableOptions = {}) {
  const { link, data = {}, request, status = UNAVAILABLE_STATUS[kind] } = options;
  const ctx = await pageContext(d, locale, link?.country);
  const own = kind === 'locked' && link && request ? await ownPending(d, request, link, locale) : undefined;
  const languages = link ? Object.fromEntries(LOCALES.map((l) => [l, dialogPath(l, link.id, data)])) : undefined;
  return sendHtml(
    reply,
    status,
    createElement(UnavailablePage, {
      ctx,
      kind,
      now: d.core.clock.now(),
      ...(link ? { linkName: link.name, lockedUntil: link.lockedUntil, retryUrl: dialogPath(locale, link.id, data) } : {}),
      ...(languages ? { languages } : {}),
      ...(own ? { own } : {}),
    }),
    link,
  );
}

/** The pending payment this browser started on a locked link, if the cookie names one. */
async function ownPending(d: Dialog, request: FastifyRequest, link: LinkRecord, locale: Locale) {
  const paymentId = readCookie(request, ownCookie(link.id));
  if (!paymentId || paymentId.length > 100) return undefined;
  const payment = await paymentOfLink(d.core, link.id, paymentId);
  if (payment?.status !== 'pending') return undefined;
  return {
    checkoutUrl: continuePath(payment, locale, link.locale),
    cancelAction: link.cancellable ? cancelAction(link.id, payment.id) : null,
  };
}

/**
 * What a page loads, or undefined after answering with the 404 page when it is not found (in
 * `locale`, else the merchant's default language).
 */
export async function orNotFoundPage<T>(d: Dialog, reply: FastifyReply, locale: Locale | undefined, load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    if (!isDomain(err, 'not-found')) throw err;
    await sendUnavailable(d, reply, 'notFound', locale ?? (await defaultLocale(d.core)));
    return undefined;
  }
}

/** Loads a link for a page; undefined after answering with the 404 page. */
export function linkOrNotFound(d: Dialog, reply: FastifyReply, linkId: string, locale: Locale): Promise<LinkRecord | undefined> {
  return orNotFoundPage(d, reply, locale, () => d.core.links.record(linkId));
}

/** A payment page's link and payment (and the page's language); undefined after the 404 page. */
export async function linkAndPayment(d: Dialog, reply: FastifyReply, localeSegment: string, linkId: string, paymentId: string) {
  const segmentLocale = localeFromSegment(localeSegment);
  const link = await linkOrNotFound(d, reply, linkId, segmentLocale ?? (await defaultLocale(d.core)));
  if (!link) return undefined;
  const locale = segmentLocale ?? link.locale;
  const payment = await paymentOfLink(d.core, linkId, paymentId);
  if (payment) return { link, locale, payment };
  await sendUnavailable(d, reply, 'notFound', locale);
  return undefined;
}
