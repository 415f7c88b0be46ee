import cc from 'currency-codes';

/** Precious metals, fund and testing codes: in ISO 4217, but nothing a customer pays with. */
const NOT_MONEY = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

/** ISO 4217 minor-unit exponent, or undefined for an unknown code. */
export function currencyExponent(code: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(code)) return undefined;
  const entry = cc.code(code);
  if (!entry) return undefined;
  if (NOT_MONEY.has(code) || typeof entry.digits !== 'number') return undefined;
  return entry.digits;
}

export function isCurrency(code: string): boolean {
  return currencyExponent(code) !== undefined;
}
