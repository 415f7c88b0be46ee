import { exponentOf, formatAmount, type Minor } from '../../core/money';
import type { Locale } from '../../core/links/types';

/**
 * Intl formatters are costly to build (they load locale data) and a page needs several: keep one
 * per locale and options. The set is small: 4 locales × a few currencies × 3 styles.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(intl: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${intl}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(intl, options)));
  return f;
}

function dateFormat(intl: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${intl}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(intl, options)));
  return f;
}

/** The Intl locale for a dialog locale and the link's country: `de` + `AT` -> `de-AT` ("€ 12,50"). */
const intlLocales = new Map<string, string>();

export function intlLocale(locale: Locale, country: string | null | undefined): string {
  const key = `${locale}-${country ?? ''}`;
  let tag = intlLocales.get(key);
  if (tag === undefined) intlLocales.set(key, (tag = resolveIntlLocale(locale, country)));
  return tag;
}

function resolveIntlLocale(locale: Locale, country: string | null | undefined): string {
  if (country && /^[A-Z]{2}$/.test(country)) {
    try {
      const [tag] = Intl.getCanonicalLocales(`${locale}-${country}`);
      if (tag && Intl.NumberFormat.supportedLocalesOf([tag]).length > 0) return tag;
    } catch {
      // not a valid tag: fall back to the bare language
    }
  }
  return locale;
}

/**
 * Minor units -> "12,50 €" / "€12.50" / "¥1,200". Formats the exact decimal string (Intl
 * NumberFormat v3 takes strings), so no float rounding ever shows.
 */
export function formatMoney(minor: Minor, currency: string, intl: string): string {
  const exp = exponentOf(currency);
  return numberFormat(intl, {
    style: 'currency',
    currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(formatAmount(minor, currency) as `${number}`);
}

/** A plain number for input hints, e.g. "12,50" in de, "12.50" in en, "1250" for JPY. */
export function amountExample(currency: string, intl: string): string {
  const key = `${currency}|${intl}`;
  let example = examples.get(key);
  if (example === undefined) examples.set(key, (example = makeAmountExample(currency, intl)));
  return example;
}

function makeAmountExample(currency: string, intl: string): string {
  const exp = exponentOf(currency);
  const minor = exp === 0 ? 1250 : 1250 * 10 ** (exp - 2);
  return numberFormat(intl, { minimumFractionDigits: exp, maximumFractionDigits: exp, useGrouping: false }).format(
    formatAmount(Math.round(minor), currency) as `${number}`,
  );
}

/** An empty amount in this locale's notation ("0,00", "0.00", "0"): the field's placeholder. */
export function amountPlaceholder(currency: string, intl: string): string {
  const exp = exponentOf(currency);
  return numberFormat(intl, { minimumFractionDigits: exp, maximumFractionDigits: exp, useGrouping: false }).format(0);
}

/** The currency's symbol in this locale ("€", "$", "CHF"), for the prefix of the amount field. */
/** Per currency and Intl locale: a page asks for these several times, and they never change. */
const symbols = new Map<string, string>();
const examples = new Map<string, string>();

export function currencySymbol(currency: string, intl: string): string {
  const key = `${currency}|${intl}`;
  let symbol = symbols.get(key);
  if (symbol === undefined) {
    const part = numberFormat(intl, { style: 'currency', currency }).formatToParts(1).find((p) => p.type === 'currency');
    symbols.set(key, (symbol = part?.value ?? currency));
  }
  return symbol;
}

/** Whether the symbol comes after the number in this locale ("12,50 €"). */
const symbolsAfter = new Map<string, boolean>();

export function symbolAfter(currency: string, intl: string): boolean {
  const key = `${currency}|${intl}`;
  let after = symbolsAfter.get(key);
  if (after === undefined) {
    const parts = numberFormat(intl, { style: 'currency', currency }).formatToParts(1);
    symbolsAfter.set(key, (after = parts.findIndex((p) => p.type === 'currency') > parts.findIndex((p) => p.type === 'integer')));
  }
  return after;
}

export function formatDateTime(ms: number, intl: string, timeZone: string): string {
  return dateFormat(intl, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
}

export function formatTime(ms: number, intl: string, timeZone: string): string {
  return dateFormat(intl, { timeStyle: 'short', timeZone }).format(ms);
}

export function sameDay(a: number, b: number, timeZone: string): boolean {
  const f = dateFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
  return f.format(a) === f.format(b);
}

const SPACES = /[\s\u00a0\u202f\u2009\u2007']/g;

/**
 * What a customer types into the amount field -> the decimal string core expects. Customers in
 * de/fr/nl write a decimal comma ("7,50"), and a phone's decimal keypad may give either mark,
 * so on the form (never on the JSON API):
 * - spaces (also no-break and thin ones) and apostrophes are dropped ("1 234,50", "1'234.50");
 * - a single "," or "." is the decimal mark ("7,50", "7.50");
 * - with both marks, the last one is the decimal mark and the others must group thousands
 *   correctly ("1.234,50", "1,234.50");
 * - one mark repeated with groups of three is grouping ("1.234.567").
 * Anything else is returned trimmed, for core to refuse with a validation error. Amounts are
 * never guessed: "1.250" stays "1.250" and is refused for EUR (too many decimals).
 */
export function normaliseAmountInput(raw: string): string {
  const text = raw.replace(SPACES, '');
  if (!/^\d[\d.,]*$/.test(text) || /[.,]$/.test(text)) return raw.trim();
  const marks = text.replace(/\d/g, '');
  if (marks.length === 0) return text;
  if (marks.length === 1) return text.replace(',', '.');
  const last = marks[marks.length - 1]!;
  const others = marks.slice(0, -1);
  const group = last === ',' ? '.' : ',';
  if (others.split('').every((m) => m === group)) {
    const cut = text.lastIndexOf(last);
    const whole = text.slice(0, cut);
    if (/^\d{1,3}(?:[.,]\d{3})*$/.test(whole)) return `${whole.replace(/[.,]/g, '')}.${text.slice(cut + 1)}`;
    return raw.trim();
  }
  if (marks.split('').every((m) => m === last) && /^\d{1,3}(?:[.,]\d{3})+$/.test(text)) return text.replace(/[.,]/g, '');
  return raw.trim();
}
