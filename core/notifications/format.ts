import type { Locale } from '../links/types';
import { exponentOf, formatAmount, type Minor } from '../money';

/** BCP 47 tags with a region, so number and date formats look as people in that language expect. */
const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' };

/** 1250 EUR -> "€12.50" (en), "12,50 €" (de). Exact: the decimal string is formatted, not a float. */
export function formatMoney(minor: Minor, currency: string, locale: Locale): string {
  const exp = exponentOf(currency);
  const format = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp });
  return format.format(formatAmount(minor, currency) as Intl.StringNumericLiteral);
}

/** A moment in the merchant's time zone, e.g. "31 January 2026 at 18:00". */
export function formatDateTime(ms: number, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(ms);
}
