import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/errors';
import type { LinkRecord, Locale } from '../../core/links/types';
import type { PaymentRecord } from '../../core/payments/types';
import { callbackOrigins } from '../../core/links/callback';
import { injectedData } from '../qr';
import type { FormBody } from '../schemas/dialog';
import { METADATA_LIMITS } from '../../core/limits';

/**
 * The dialog's HTTP plumbing, apart from its routes: static assets with content-hash URLs, the
 * pages' CSP (form targets: the link's callback origins, Stripe Checkout), HTML replies, form
 * fields and injected `data[…]`, the dialog's paths, and the "this browser started that payment"
 * cookie.
 */
// ---------------------------------------------------------------------------------------------
// Static assets: read once when the plugin is built, served with a content-hash version query.

interface Asset {
  body: Buffer;
  type: string;
  version: string;
  url: string;
}

export function loadAsset(name: string, type: string): Asset {
  const body = readFileSync(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)));
  const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { body, type, version, url: `/assets/${name}?v=${version}` };
}

// ---------------------------------------------------------------------------------------------
// Security headers of every HTML page.

/** The origins a form on a page may end up at: ours, and the link's callbacks (303 after a post). */
export function formTargets(link: Pick<LinkRecord, 'callbackUrl'> | null | undefined): string[] {
  return callbackOrigins(link?.callbackUrl).filter((o) => /^https?:\/\/[^\s;,'"]+$/.test(o));
}

export function contentSecurityPolicy(formActionOrigins: string[] = []): string {
  const formAction = ["'self'", ...new Set(formActionOrigins)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where Stripe Checkout lives: the pay form's 303 goes there when the payer picks a card. */
export const STRIPE_CHECKOUT_ORIGIN = 'https://checkout.stripe.com';

/** A page as the document it is sent as. */
export const renderPage = (page: ReactElement): string => `<!doctype html>${renderToStaticMarkup(page)}`;

/** An HTML page (an element, or one already rendered by `renderPage`) with the pages' headers. */
export function sendHtml(reply: FastifyReply, status: number, page: ReactElement | string, link?: Pick<LinkRecord, 'callbackUrl'> | null, extraFormOrigins: string[] = []): FastifyReply {
  return reply
    .code(status)
    .header('Content-Security-Policy', contentSecurityPolicy([...formTargets(link), ...extraFormOrigins]))
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Robots-Tag', 'noindex, nofollow')
    .type('text/html; charset=utf-8')
    .send(typeof page === 'string' ? page : renderPage(page));
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

export const isForm = (request: FastifyRequest) => (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

export function field(form: FormBody | undefined, key: string): string | undefined {
  const v = form?.[key];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}

/** `data[key]` pairs (from a query or a form) that core will accept (core/limits.ts METADATA_LIMITS). */
export function collectData(source: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(injectedData(source))
      .filter(([, v]) => v.length <= METADATA_LIMITS.valueLength)
      .slice(0, METADATA_LIMITS.keys),
  );
}

export function dataQuery(data: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) q.append(`data[${k}]`, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const seg = encodeURIComponent;
export const dialogPath = (locale: Locale, linkId: string, data: Record<string, string> = {}) => `/${locale}/pay-by-link/${seg(linkId)}${dataQuery(data)}`;
export const resultPath = (locale: Locale, linkId: string, paymentId: string) => `/${locale}/pay-by-link/${seg(linkId)}/result/${seg(paymentId)}`;
/** The simulator's checkout; names the language only where it differs from the link's. */
export const checkoutPath = (paymentId: string, locale: Locale, linkLocale: Locale) =>
  `/sim/checkout/${seg(paymentId)}${locale === linkLocale ? '' : `?locale=${locale}`}`;
/** The generic next step of a started payment: its provider says what the payer does now. */
export const nextPath = (locale: Locale, linkId: string, paymentId: string) => `/${locale}/pay-by-link/${seg(linkId)}/next/${seg(paymentId)}`;
/** Where a payer goes to continue a pending payment: the simulator's page, or the next step. */
export const continuePath = (payment: PaymentRecord, locale: Locale, linkLocale: Locale) =>
  payment.method === 'simulator' ? checkoutPath(payment.id, locale, linkLocale) : nextPath(locale, payment.linkId, payment.id);

/** What the URL injected into a payment: its metadata minus the link's own keys (which win). */
export function injectedOf(payment: PaymentRecord, link: LinkRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(payment.metadata).filter(([k]) => !Object.hasOwn(link.metadata, k)));
}

/**
 * The browser that started a single-use link's payment remembers it in a cookie (client state
 * only, set by the form post), so coming back to the locked link offers "continue" instead of
 * a 15-minute wait. The payment id is itself the capability; the cookie lives as long as the lock.
 */
export const ownCookie = (linkId: string) => `cl_pay_${linkId.replace(/[^A-Za-z0-9_]/g, '')}`;

/** From the cookies @fastify/cookie parsed (registered first in buildServer). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  return request.cookies[name];
}

export const isDomain = (err: unknown, type?: string): err is DomainError => err instanceof DomainError && (type === undefined || err.type === type);
