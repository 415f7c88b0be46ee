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
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw ValidationError.field(path, `must be a positive decimal amount with at most ${exp} decimals (got ${JSON.stringify(text.slice(0, 40))})`, 'amount-format', { decimals: exp });
  }
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  if (fraction.length > exp) {
    throw ValidationError.field(path, `${currency} allows at most ${exp} decimal${exp === 1 ? '' : 's'}`, 'amount-decimals', { currency, decimals: exp });
  }
  const minor = Number(whole) * 10 ** exp + Number(fraction.padEnd(exp, '0') || '0');
  if (minor <= 0) throw ValidationError.field(path, 'must be greater than 0', 'amount-positive');
  if (Number(whole) > MAX_MAJOR_UNITS) throw ValidationError.field(path, `must be at most ${MAX_MAJOR_UNITS}`, 'amount-too-large', { max: MAX_MAJOR_UNITS });
  return minor;
}

/** 1250, "EUR" -> "12.50"; 1200, "JPY" -> "1200"; 1, "BHD" -> "0.001". */
export function formatAmount(minor: Minor, currency: string): string {
  const exp = exponentOf(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
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
