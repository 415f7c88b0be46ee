import { describe, expect, it } from 'vitest';
import {
  currencyExponent,
  decimalToMinor,
  digitsToDecimal,
  formatMoney,
  keyFromKeyboard,
  maxDigits,
  minorToDecimal,
  pressKey,
  type KeypadKey,
} from '../../../../renderer/src/lib/amount';

const type = (keys: KeypadKey[], exponent = 2, start = ''): string => keys.reduce((d, k) => pressKey(d, k, exponent), start);

describe('amount keypad (digits shift in from the right, in minor units)', () => {
  it('typing 1 2 5 0 shows 12.50', () => {
    const steps: string[] = [];
    let digits = '';
    for (const k of ['1', '2', '5', '0'] as KeypadKey[]) {
      digits = pressKey(digits, k, 2);
      steps.push(digitsToDecimal(digits, 2));
    }
    expect(steps).toEqual(['0.01', '0.12', '1.25', '12.50']);
  });

  it('Backspace removes the last digit, Escape clears', () => {
    expect(digitsToDecimal(type(['1', '2', '5', '0', 'backspace']), 2)).toBe('1.25');
    expect(type(['1', '2', 'clear'])).toBe('');
    expect(type(['backspace'])).toBe('');
  });

  it('leading zeros and 00 do nothing on zero; 00 multiplies by 100 otherwise', () => {
    expect(type(['0', '0', '00'])).toBe('');
    expect(digitsToDecimal(type(['5', '00']), 2)).toBe('5.00');
  });

  it('uses the currency exponent: JPY has no decimals, BHD three', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('eur')).toBe(2);
    expect(digitsToDecimal(type(['1', '2', '0', '0'], 0), 0)).toBe('1200');
    expect(digitsToDecimal(type(['5'], 3), 3)).toBe('0.005');
  });

  it('ignores keys past 999 999 999 major units', () => {
    const nines = Array.from({ length: maxDigits(2) }, () => '9' as KeypadKey);
    const full = type(nines);
    expect(digitsToDecimal(full, 2)).toBe('999999999.99');
    expect(pressKey(full, '1', 2)).toBe(full);
    expect(pressKey(full, '00', 2)).toBe(full);
  });

  it('converts between decimal strings and minor units without floats', () => {
    expect(minorToDecimal(1250, 2)).toBe('12.50');
    expect(minorToDecimal(1, 2)).toBe('0.01');
    expect(minorToDecimal(0, 0)).toBe('0');
    expect(decimalToMinor('12.5', 2)).toBe(1250);
    expect(decimalToMinor('12,50', 2)).toBe(1250);
    expect(decimalToMinor('0.1', 2)).toBe(10);
    expect(decimalToMinor('1.005', 2)).toBeUndefined();
    expect(decimalToMinor('abc', 2)).toBeUndefined();
    expect(decimalToMinor('1200', 0)).toBe(1200);
    // 0.1 + 0.2 style errors cannot happen: 19.99 stays 1999
    expect(decimalToMinor('19.99', 2)).toBe(1999);
  });

  it('maps keyboard keys', () => {
    expect(keyFromKeyboard('7')).toBe('7');
    expect(keyFromKeyboard('Backspace')).toBe('backspace');
    expect(keyFromKeyboard('Escape')).toBe('clear');
    expect(keyFromKeyboard('Enter')).toBe('enter');
    expect(keyFromKeyboard('a')).toBeUndefined();
    expect(keyFromKeyboard('F1')).toBeUndefined();
  });

  it('formats money for the locale from the decimal string', () => {
    expect(formatMoney('12.50', 'EUR', 'en-US')).toBe('€12.50');
    expect(formatMoney('12.50', 'EUR', 'de')).toBe('12,50\u00a0€');
    expect(formatMoney('1200', 'JPY', 'en-US')).toBe('¥1,200');
    expect(formatMoney('999999999.99', 'EUR', 'en-US')).toBe('€999,999,999.99');
    expect(formatMoney(null, 'EUR', 'en')).toBe('');
  });
});
