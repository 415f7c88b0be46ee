import type { Core } from '../../../core/index';
import type { MerchantSettings } from '../../../core/settings';
import type { LinkRecord, Locale } from '../../../core/links/types';
import type { PaymentRecord } from '../../../core/payments/types';
import type { PageContext } from '../components';
import type { UnavailableKind } from '../pages/unavailable';
import { intlLocale } from '../format';
import { isLocale, translator } from '../i18n';
import { isDomain, loadAsset } from '../http';
import { PageCache } from '../page-cache';

/**
 * What every dialog route file shares: core, the dialog's two static assets (read once when
 * the plugin is built) and the rendered pay pages. Passed explicitly to the helpers below
 * instead of closed over.
 */
export interface Dialog {
  core: Core;
  assets: { css: ReturnType<typeof loadAsset>; js: ReturnType<typeof loadAsset> };
  payPages: PageCache;
}

export function dialogDeps(core: Core): Dialog {
  return {
    core,
    assets: {
      css: loadAsset('dialog.css', 'text/css; charset=utf-8'),
      js: loadAsset('dialog.js', 'text/javascript; charset=utf-8'),
    },
    payPages: new PageCache(),
  };
}

/** OpenAPI tag of the dialog's documented routes; `config` of the routes answering with HTML pages. */
export const tags = ['dialog'];
export const html = { dialogHtml: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes answering with HTML pages: their errors become pages, not problem+json. */
    dialogHtml?: boolean;
  }
}

/** What a page needs besides its own props: language, Intl locale, words, merchant, asset URLs. */
export async function pageContext(d: Dialog, locale: Locale, country?: string | null): Promise<PageContext> {
  return pageContextOf(d, await d.core.settings.readMerchant(), locale, country);
}

/** `pageContext` with the merchant's settings already read (with the link, in one read). */
export function pageContextOf(d: Dialog, merchant: MerchantSettings, locale: Locale, country?: string | null): PageContext {
  return {
    locale,
    intl: intlLocale(locale, country ?? merchant.country),
    t: translator(locale),
    merchantName: merchant.merchantName,
    timeZone: merchant.timeZone,
    assets: { css: d.assets.css.url, js: d.assets.js.url },
  };
}

export const defaultLocale = async (core: Core): Promise<Locale> => (await core.settings.readMerchant()).defaultLocale;

/** A locale the payer asked for (form field, query) if it is one, else the fallback. */
export const wantedOr = (wanted: string | undefined, fallback: Locale): Locale => (isLocale(wanted) ? wanted : fallback);

/** A locale the payer asked for if it is one, else the merchant's default (before the link is known). */
export const wantedOrDefault = async (core: Core, wanted: string | undefined): Promise<Locale> => (isLocale(wanted) ? wanted : await defaultLocale(core));

/** Why a link cannot be paid now ('notPayable' or its derived status), or undefined when it can. */
export function blocker(core: Core, link: LinkRecord): UnavailableKind | undefined {
  if (link.type !== 'payment') return 'notPayable';
  const status = core.links.status(link);
  return status === 'enabled' ? undefined : status;
}

/** A payment of the link, or undefined when there is none with that id. */
export async function paymentOfLink(core: Core, linkId: string, paymentId: string): Promise<PaymentRecord | undefined> {
  try {
    return await core.payments.recordForLink(linkId, paymentId);
  } catch (err) {
    if (isDomain(err, 'not-found')) return undefined;
    throw err;
  }
}

/** Redirect steps on our own origin stay relative (the simulator); others go where they say. */
export const relativeToUs = (core: Core, url: string) => (url.startsWith(core.config.baseUrl) ? url.slice(core.config.baseUrl.length) : url);

