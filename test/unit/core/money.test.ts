import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimalToMinor, exponentOf, formatAmount, formatAmountOrNull, MAX_MAJOR_UNITS, parseAmount, searchAmounts } from '../../../core/money';
import { currencyExponent, isCurrency } from '../../../core/currencies';
import { ValidationError } from '../../../core/errors';
import { expectValidation } from '../../support/core';

describe('currency exponents', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['ISK', 0],
    ['BHD', 3],
    ['KWD', 3],
  ])('%s has exponent %i', (code, exp) => {
    expect(currencyExponent(code)).toBe(exp);
    expect(exponentOf(code)).toBe(exp);
    expect(isCurrency(code)).toBe(true);
  });

  it.each(['eur', 'EURO', 'ABC', '', 'XXX', 'XTS', 'XAU', 'E1R'])('refuses %j', async (code) => {
    expect(currencyExponent(code)).toBeUndefined();
    expect(isCurrency(code)).toBe(false);
    const err = await expectValidation(() => exponentOf(code));
    expect(err.errors[0]!.path).toBe('currency');
  });

  it('parseAmount refuses an unknown currency', async () => {
    const err = await expectValidation(() => parseAmount('1.00', 'ABC'));
    expect(err.errors).toEqual([{ path: 'currency', message: expect.stringContaining('ABC'), code: 'currency-unknown', params: { currency: 'ABC' } }]);
    await expectValidation(() => parseAmount('1', 'eur'));
  });
});

describe('parseAmount', () => {
  it.each([
    ['1', 'EUR', 100],
    ['1.5', 'EUR', 150],
    ['1.50', 'EUR', 150],
    ['12.50', 'EUR', 1250],
    ['0.01', 'EUR', 1],
    ['0.1', 'EUR', 10],
    [' 7.25 ', 'EUR', 725],
    ['1200', 'JPY', 1200],
    ['1', 'JPY', 1],
    ['1', 'BHD', 1000],
    ['1.5', 'BHD', 1500],
    ['1.005', 'BHD', 1005],
    ['0.001', 'BHD', 1],
    ['999999999', 'EUR', 99_999_999_900],
    ['999999999.99', 'EUR', 99_999_999_999],
    ['999999999', 'JPY', 999_999_999],
    ['999999999.999', 'BHD', 999_999_999_999],
  ])('%j %s -> %i', (input, currency, minor) => {
    expect(parseAmount(input, currency)).toBe(minor);
  });

  it.each([
    ['1.005', 'EUR'],
    ['1.500', 'EUR'],
    ['1.5', 'JPY'],
    ['1.0', 'JPY'],
    ['1.0005', 'BHD'],
  ])('refuses %j in %s (too many decimals)', async (input, currency) => {
    const err = await expectValidation(() => parseAmount(input, currency));
    expect(err.errors).toHaveLength(1);
    expect(err.errors[0]!.path).toBe('amount');
  });

  it.each([
    ['0', 'zero'],
    ['0.00', 'zero with decimals'],
    ['0.001', 'below one cent'],
    ['-1', 'negative'],
    ['-0.50', 'negative fraction'],
    ['+1', 'explicit plus'],
    ['1e3', 'exponent'],
    ['1E3', 'upper-case exponent'],
    [' ', 'blank'],
    ['', 'empty'],
    ['abc', 'letters'],
    ['1,50', 'decimal comma'],
    ['1.', 'trailing dot'],
    ['.5', 'leading dot'],
    ['1 000', 'inner space'],
    ['0x10', 'hex'],
    ['NaN', 'NaN text'],
    ['Infinity', 'Infinity text'],
    ['1000000000', 'above the cap'],
    ['1000000000.00', 'above the cap with decimals'],
    ['١٢', 'non-ASCII digits'],
  ])('refuses %j (%s) in EUR', (input) => {
    expect(() => parseAmount(input, 'EUR')).toThrow(ValidationError);
  });

  it.each([
    [0, 'zero'],
    [-0, 'negative zero'],
    [-5, 'negative'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [1e21, 'exponent notation'],
    [1e-7, 'tiny'],
    [1_000_000_000, 'above the cap'],
    [0.1 + 0.2, '0.1 + 0.2'],
    [1.005, 'three decimals in EUR'],
  ])('refuses the number %s (%s) in EUR', (input) => {
    expect(() => parseAmount(input, 'EUR')).toThrow(ValidationError);
  });

  it.each([null, undefined, true, false, {}, [], ['1'], { amount: '1' }, 10n, Symbol('x'), () => 1])('refuses a %s', async (input) => {
    const err = await expectValidation(() => parseAmount(input, 'EUR'));
    expect(err.errors[0]!.path).toBe('amount');
  });

  it('accepts JSON numbers that convert exactly', () => {
    expect(parseAmount(12.5, 'EUR')).toBe(1250);
    expect(parseAmount(12, 'EUR')).toBe(1200);
    expect(parseAmount(0.07, 'EUR')).toBe(7);
    expect(parseAmount(1200, 'JPY')).toBe(1200);
    expect(parseAmount(1.005, 'BHD')).toBe(1005);
    expect(parseAmount(999_999_999, 'JPY')).toBe(999_999_999);
    expect(() => parseAmount(12.5, 'JPY')).toThrow(ValidationError);
  });

  it('names the path it was given', async () => {
    const err = await expectValidation(() => parseAmount('x', 'EUR', 'lineItems[2].unitAmount'));
    expect(err.errors[0]!.path).toBe('lineItems[2].unitAmount');
  });

  it('the cap is 999 999 999 major units in every currency', () => {
    expect(MAX_MAJOR_UNITS).toBe(999_999_999);
    for (const cur of ['EUR', 'JPY', 'BHD']) {
      const exp = exponentOf(cur);
      expect(parseAmount(String(MAX_MAJOR_UNITS), cur)).toBe(MAX_MAJOR_UNITS * 10 ** exp);
      expect(() => parseAmount(String(MAX_MAJOR_UNITS + 1), cur)).toThrow(ValidationError);
    }
  });
});

describe('formatAmount', () => {
  it.each([
    [1250, 'EUR', '12.50'],
    [1, 'EUR', '0.01'],
    [10, 'EUR', '0.10'],
    [100, 'EUR', '1.00'],
    [0, 'EUR', '0.00'],
    [-150, 'EUR', '-1.50'],
    [1200, 'JPY', '1200'],
    [0, 'JPY', '0'],
    [1, 'BHD', '0.001'],
    [1500, 'BHD', '1.500'],
    [99_999_999_999, 'EUR', '999999999.99'],
  ])('%i %s -> %j', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('formatAmountOrNull passes null through', () => {
    expect(formatAmountOrNull(null, 'EUR')).toBeNull();
    expect(formatAmountOrNull(5, 'EUR')).toBe('0.05');
  });

  it('refuses an unknown currency', () => {
    expect(() => formatAmount(1, 'ABC')).toThrow(ValidationError);
  });
});

describe('round trip (property)', () => {
  const currency = fc.constantFrom('EUR', 'JPY', 'BHD', 'USD', 'KWD', 'ISK');

  it('formatAmount(parseAmount(x)) is x written with exactly the currency exponent', () => {
    fc.assert(
      fc.property(
        currency,
        fc.integer({ min: 0, max: MAX_MAJOR_UNITS }),
        fc.nat({ max: 3 }),
        fc.integer({ min: 0, max: 999 }),
        (cur, whole, rawDecimals, fractionSeed) => {
          const exp = exponentOf(cur);
          const decimals = Math.min(rawDecimals, exp);
          const fraction = decimals === 0 ? '' : String(fractionSeed % 10 ** decimals).padStart(decimals, '0');
          const input = decimals === 0 ? String(whole) : `${whole}.${fraction}`;
          const expectedMinor = whole * 10 ** exp + Number(fraction.padEnd(exp, '0') || '0');
          fc.pre(expectedMinor > 0);
          const minor = parseAmount(input, cur);
          expect(minor).toBe(expectedMinor);
          expect(Number.isSafeInteger(minor)).toBe(true);
          const expectedText = exp === 0 ? String(whole) : `${whole}.${fraction.padEnd(exp, '0')}`;
          expect(formatAmount(minor, cur)).toBe(expectedText);
          // and the canonical text parses back to the same minor units
          expect(parseAmount(formatAmount(minor, cur), cur)).toBe(minor);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parseAmount(formatAmount(m)) === m for every valid minor amount', () => {
    fc.assert(
      fc.property(currency, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (cur, seed) => {
        const exp = exponentOf(cur);
        const max = (MAX_MAJOR_UNITS + 1) * 10 ** exp - 1;
        const minor = 1 + (seed % max);
        expect(parseAmount(formatAmount(minor, cur), cur)).toBe(minor);
      }),
      { numRuns: 500 },
    );
  });

  it('a JSON number is accepted exactly when its decimal text is a valid amount', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false, noDefaultInfinity: false }), (n) => {
        const text = String(n);
        const valid = /^\d{1,9}(\.\d{1,2})?$/.test(text) && n > 0;
        if (valid) expect(parseAmount(n, 'EUR')).toBe(parseAmount(text, 'EUR'));
        else expect(() => parseAmount(n, 'EUR')).toThrow(ValidationError);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decimalToMinor (the staff UI reading, never throws)', () => {
  it('reads point or comma decimals by exponent, zero included', () => {
    expect(decimalToMinor(' 12,5 ', 2)).toBe(1250);
    expect(decimalToMinor('12.', 2)).toBe(1200);
    expect(decimalToMinor('0', 2)).toBe(0);
    expect(decimalToMinor('0.005', 3)).toBe(5);
    expect(decimalToMinor('999999999.99', 2)).toBe(99_999_999_999);
  });
  it('refuses what is not a plain amount', () => {
    for (const bad of ['', '.5', '1.005', '-1', '1e3', '1 000', '1.2.3', '1234567890', 'abc']) expect(decimalToMinor(bad, 2), bad).toBeUndefined();
    expect(decimalToMinor('1.5', 0)).toBeUndefined();
  });
  it('agrees with parseAmount on every positive amount parseAmount takes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_999 }), (minor) => {
        const text = formatAmount(minor, 'EUR');
        expect(decimalToMinor(text, 2)).toBe(parseAmount(text, 'EUR'));
      }),
    );
  });
});

describe('searchAmounts', () => {
  it('reads a search text as the amounts it could mean, in minor units', () => {
    expect(searchAmounts('12.50').sort((a, b) => a - b)).toEqual([1250, 12500]);
    expect(searchAmounts('12,5').sort((a, b) => a - b)).toEqual([1250, 12500]);
    expect(searchAmounts('12').sort((a, b) => a - b)).toEqual([12, 1200, 12000]);
    expect(searchAmounts('1.234')).toEqual([1234]);
    for (const text of ['', 'abc', '12.5.0', '-3', '1.2345', '1e3']) expect(searchAmounts(text)).toEqual([]);
  });
});
