import { currencyExponent } from './currencies';
import { ValidationError } from './errors';

/** Amounts are integer minor units inside; decimal strings at the edges. Never floats. */
export type Minor = number;

export const MAX_MAJOR_UNITS = 999_999_999;

export function exponentOf(currency: string, path = 'currency'): number {
  const exp = currencyExponent(currency);
  if (exp === undefined) throw ValidationError.field(path, `unknown ISO 4217 currency ${JSON.stringify(currency)}`, 'currency-unknown', { currency: String(currency).slice(0, 10) });
  return exp;
}

/** The one reading of a decimal amount's digits: "12.50" -> whole "12", fraction "50"; null if it is not one. */
function splitDecimal(text: string): { whole: string; fraction: string } | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  return match ? { whole: match[1]!, fraction: match[2] ?? '' } : null;
}

const toMinor = (whole: string, fraction: string, exp: number): Minor => Number(whole) * 10 ** exp + Number(fraction.padEnd(exp, '0') || '0');

/**
 * Parses "12.5", "12.50" or an exactly-convertible JSON number into minor units of `currency`.
 * Refuses more decimals than the currency has, zero, negatives, exponents and anything above
 * MAX_MAJOR_UNITS.
 */
export function parseAmount(input: unknown, currency: string, path = 'amount'): Minor {
  const exp = exponentOf(currency);
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw ValidationError.field(path, 'must be a finite number', 'amount-format');
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    throw ValidationError.field(path, 'must be a decimal string such as "12.50"', 'amount-format');
  }
  const parts = splitDecimal(text);
  // More than nine whole digits (leading zeros too) is not an amount's format at the API.
  if (!parts || parts.whole.length > String(MAX_MAJOR_UNITS).length) {
    throw ValidationError.field(path, `must be a positive decimal amount with at most ${exp} decimals (got ${JSON.stringify(text.slice(0, 40))})`, 'amount-format', { decimals: exp });
  }
  const { whole, fraction } = parts;
  if (fraction.length > exp) {
    throw ValidationError.field(path, `${currency} allows at most ${exp} decimal${exp === 1 ? '' : 's'}`, 'amount-decimals', { currency, decimals: exp });
  }
  const minor = toMinor(whole, fraction, exp);
  if (minor <= 0) throw ValidationError.field(path, 'must be greater than 0', 'amount-positive');
  if (Number(whole) > MAX_MAJOR_UNITS) throw ValidationError.field(path, `must be at most ${MAX_MAJOR_UNITS}`, 'amount-too-large', { max: MAX_MAJOR_UNITS });
  return minor;
}

/**
 * Staff-typed or API decimal text to minor units by exponent, without throwing: "12.5" or
 * "12,50" -> 1250 (EUR), "0" -> 0 (a refunded total); undefined for anything that is not a plain
 * amount of at most nine whole digits and `exponent` decimals. The staff UI's reading.
 */
export function decimalToMinor(text: string, exponent: number): Minor | undefined {
  const parts = splitDecimal(text.trim().replace(',', '.').replace(/\.$/, ''));
  if (!parts || parts.whole.length > String(MAX_MAJOR_UNITS).length || parts.fraction.length > exponent) return undefined;
  return toMinor(parts.whole, parts.fraction, exponent);
}

/** Why a typed amount is not one, most telling first (the payer's form words it). */
export type AmountMistake = 'format' | 'decimals' | 'too-large' | 'not-positive';

/**
 * Reads an amount the payer typed (already in "1234.5" notation) without throwing: its minor
 * units, or the first mistake — format, then decimals, then size (leading zeros do not count),
 * then zero. The customer dialog words each one; core's parseAmount stays the rule at the API.
 */
export function readAmount(text: string, currency: string): { minor: Minor } | { mistake: AmountMistake } {
  const exp = exponentOf(currency);
  const parts = splitDecimal(text);
  if (!parts) return { mistake: 'format' };
  if (parts.fraction.length > exp) return { mistake: 'decimals' };
  const significant = parts.whole.replace(/^0+/, '');
  if (significant.length > String(MAX_MAJOR_UNITS).length || Number(significant) > MAX_MAJOR_UNITS) return { mistake: 'too-large' };
  const minor = toMinor(parts.whole, parts.fraction, exp);
  return minor > 0 ? { minor } : { mistake: 'not-positive' };
}

/** 1250, "EUR" -> "12.50"; 1200, "JPY" -> "1200"; 1, "BHD" -> "0.001". */
export function formatAmount(minor: Minor, currency: string): string {
  return minorToDecimal(minor, exponentOf(currency));
}

/** 1250, 2 -> "12.50"; 1200, 0 -> "1200"; 5, 3 -> "0.005": minor units as a decimal string, by exponent. */
export function minorToDecimal(minor: Minor, exponent: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(Math.trunc(minor))).padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

export function formatAmountOrNull(minor: Minor | null, currency: string): string | null {
  return minor === null ? null : formatAmount(minor, currency);
}

/**
 * What a search box's text could mean as an amount, in minor units: "12.50", "12,50" and "12" are
 * 1250 (or 1200) in a 2-decimal currency, 12 in a 0-decimal one, 12500/12000 in a 3-decimal one.
 * Empty when the text is not a plain amount.
 */
export function searchAmounts(text: string): Minor[] {
  const m = /^(\d{1,9})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return [];
  const whole = Number(m[1]);
  const fraction = m[2] ?? '';
  const out = new Set<Minor>();
  for (const exponent of [0, 2, 3]) {
    if (fraction.length > exponent) continue;
    out.add(whole * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0'));
  }
  return [...out];
}
