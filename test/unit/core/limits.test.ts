/**
 * Validation once (issue #14): the route schemas' limits are core's limits (core/limits.ts), and
 * the dialog reads a typed amount by core's rule (readAmount) instead of a regex of its own.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LIMITS, METADATA_LIMITS } from '../../../core/limits';
import { MAX_MAJOR_UNITS, parseAmount, readAmount } from '../../../core/money';
import { Checker, checkMetadata } from '../../../core/validate';
import { LinkCreateBody } from '../../../server/schemas/links';
import { PointOfSaleCreateBody } from '../../../server/schemas/misc';
import { StartPaymentBody } from '../../../server/schemas/dialog';
import { MoneyInput } from '../../../server/schemas/common';

describe('limits declared once', () => {
  it('the route schemas carry core’s limits', () => {
    const link = LinkCreateBody.properties as Record<string, { maxLength?: number; anyOf?: { maxLength?: number; maxItems?: number }[] }>;
    expect(JSON.stringify(LinkCreateBody)).toContain(`"maxLength":${LIMITS.name}`);
    expect(link.reference?.anyOf?.[0]?.maxLength).toBe(LIMITS.reference);
    expect(link.description?.anyOf?.[0]?.maxLength).toBe(LIMITS.description);
    expect(link.callbackUrl?.anyOf?.[0]?.maxLength).toBe(LIMITS.url);
    expect(link.lineItems?.anyOf?.[0]?.maxItems).toBe(LIMITS.lineItems);
    expect(PointOfSaleCreateBody.properties.name.maxLength).toBe(LIMITS.name);
    const payer = JSON.stringify(StartPaymentBody.properties.payer);
    expect(payer).toContain(`"maxLength":${LIMITS.payerName}`);
    expect(payer).toContain(`"maxLength":${LIMITS.email}`);
    expect(JSON.stringify(StartPaymentBody.properties.reference)).toContain(`"maxLength":${LIMITS.reference}`);
    expect(JSON.stringify(MoneyInput)).toContain(`"maxLength":${LIMITS.amountText}`);
  });

  it('core’s metadata check refuses exactly past METADATA_LIMITS', () => {
    const check = (value: Record<string, string>) => {
      const c = new Checker();
      checkMetadata(c, value, 'metadata');
      return c.errors.length;
    };
    expect(check(Object.fromEntries(Array.from({ length: METADATA_LIMITS.keys }, (_, i) => [`k${i}`, 'v'])))).toBe(0);
    expect(check(Object.fromEntries(Array.from({ length: METADATA_LIMITS.keys + 1 }, (_, i) => [`k${i}`, 'v'])))).toBe(1);
    expect(check({ ['k'.repeat(METADATA_LIMITS.keyLength + 1)]: 'v' })).toBe(1);
    expect(check({ k: 'v'.repeat(METADATA_LIMITS.valueLength + 1) })).toBe(1);
  });
});

describe('readAmount (the dialog’s reading of a typed amount)', () => {
  it('names the first mistake: format, decimals, size, zero', () => {
    expect(readAmount('12.50', 'EUR')).toEqual({ minor: 1250 });
    expect(readAmount('1200', 'JPY')).toEqual({ minor: 1200 });
    expect(readAmount('zehn', 'EUR')).toEqual({ mistake: 'format' });
    expect(readAmount('1.', 'EUR')).toEqual({ mistake: 'format' });
    expect(readAmount('1.250', 'EUR')).toEqual({ mistake: 'decimals' });
    expect(readAmount('1.5', 'JPY')).toEqual({ mistake: 'decimals' });
    expect(readAmount('12345678901', 'EUR')).toEqual({ mistake: 'too-large' });
    expect(readAmount(String(MAX_MAJOR_UNITS + 1), 'EUR')).toEqual({ mistake: 'too-large' });
    expect(readAmount('0000000000012', 'EUR')).toEqual({ minor: 1200 }); // leading zeros are no size
    expect(readAmount('0', 'EUR')).toEqual({ mistake: 'not-positive' });
    expect(readAmount('0.00', 'EUR')).toEqual({ mistake: 'not-positive' });
  });

  it('agrees with parseAmount wherever parseAmount accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MAJOR_UNITS }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, '0')}`;
        const read = readAmount(text, 'EUR');
        if (whole === 0 && cents === 0) return 'mistake' in read && read.mistake === 'not-positive';
        return 'minor' in read && read.minor === parseAmount(text, 'EUR');
      }),
    );
  });

  it('parseAmount keeps its codes at the API (ten whole digits are a format mistake there)', () => {
    const code = (input: unknown) => {
      try {
        parseAmount(input, 'EUR');
        return 'ok';
      } catch (err) {
        return (err as { errors: { code: string }[] }).errors[0]!.code;
      }
    };
    expect(code('12345678901')).toBe('amount-format');
    expect(code('1234567890.123')).toBe('amount-format');
    expect(code('1.250')).toBe('amount-decimals');
    expect(code('0')).toBe('amount-positive');
    expect(code('999999999.99')).toBe('ok');
  });
});
