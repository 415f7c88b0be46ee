/**
 * Money for the UI. Amounts stay decimal strings ("12.50") or integer minor units; floats never
 * hold money. The keypad works like a card terminal: digits shift in from the right in minor
 * units (1, 2, 5, 0 -> 0.01, 0.12, 1.25, 12.50).
 */

import { currencyExponent as iso4217Exponent } from '../../../core/currencies';
import { MAX_MAJOR_UNITS, decimalToMinor, minorToDecimal } from '../../../core/money';

export { MAX_MAJOR_UNITS, decimalToMinor, minorToDecimal };

/** The currency's ISO 4217 exponent from core's one table; 2 while a typed code is not (yet) a currency. */
export function currencyExponent(currency: string): number {
  return iso4217Exponent(currency.toUpperCase()) ?? 2;
}

export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | 'backspace' | 'clear';

/** The most digits an amount may have: 999 999 999 major units plus the minor digits. */
export function maxDigits(exponent: number): number {
  return String(MAX_MAJOR_UNITS).length + exponent;
}

/**
 * One key on the amount entry. `digits` are the minor units as typed, without leading zeros
 * ('' is zero). A key that would overflow is ignored, like on a terminal.
 */
export function pressKey(digits: string, key: KeypadKey, exponent: number): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return digits.slice(0, -1);
  const next = (digits + key).replace(/^0+/, '');
  if (next.length > maxDigits(exponent)) return digits;
  return next;
}

export function digitsToMinor(digits: string): number {
  return digits === '' ? 0 : Number(digits);
}

export function digitsToDecimal(digits: string, exponent: number): string {
  return minorToDecimal(digitsToMinor(digits), exponent);
}

/** Maps a keyboard key (KeyboardEvent.key) to a keypad key or Enter; undefined for everything else. */
export function keyFromKeyboard(key: string): KeypadKey | 'enter' | undefined {
  if (/^[0-9]$/.test(key)) return key as KeypadKey;
  switch (key) {
    case 'Backspace':
    case 'Delete':
      return 'backspace';
    case 'Escape':
      return 'clear';
    case 'Enter':
      return 'enter';
    default:
      return undefined;
  }
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * "12.50", "EUR", "de" -> "12,50 €". The decimal string goes to Intl as a string, so no float
 * ever rounds it.
 */
export function formatMoney(amount: string | null | undefined, currency: string, locale: string): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const key = `${locale}|${currency}`;
  let nf = formatters.get(key);
  if (!nf) {
    const exp = currencyExponent(currency);
    try {
      nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp });
    } catch {
      nf = new Intl.NumberFormat(locale, { minimumFractionDigits: exp, maximumFractionDigits: exp });
    }
    formatters.set(key, nf);
  }
  return nf.format(amount as Intl.StringNumericLiteral);
}

/** The currency's symbol in this locale ("€", "CHF"). */
export function currencySymbol(currency: string, locale: string): string {
  try {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0);
    return parts.find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}
