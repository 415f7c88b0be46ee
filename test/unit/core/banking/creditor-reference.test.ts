import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createCreditorReference,
  creditorReferenceCheckDigits,
  findCreditorReference,
  findCreditorReferences,
  formatCreditorReference,
  generateCreditorReference,
  isValidCreditorReference,
  normaliseCreditorReference,
  validateCreditorReference,
} from '../../../../core/banking/creditor-reference';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('ISO 11649 examples', () => {
  it('RF18539007547034 and RF712348231 are valid, and their check digits compute', () => {
    expect(validateCreditorReference('RF18539007547034')).toEqual({ ok: true, reference: 'RF18539007547034' });
    expect(validateCreditorReference('RF712348231')).toEqual({ ok: true, reference: 'RF712348231' });
    expect(creditorReferenceCheckDigits('539007547034')).toBe('18');
    expect(creditorReferenceCheckDigits('2348231')).toBe('71');
    expect(createCreditorReference('539007547034')).toBe('RF18539007547034');
    expect(createCreditorReference('2348231')).toBe('RF712348231');
  });

  it('accepts the printed form and lower case', () => {
    for (const input of ['RF18 5390 0754 7034', 'rf18539007547034', ' rF18 5390\t0754 7034 ', 'RF71 2348 231']) {
      expect(isValidCreditorReference(input), input).toBe(true);
    }
    expect(normaliseCreditorReference('rf18 5390 0754 7034')).toBe('RF18539007547034');
    expect(formatCreditorReference('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatCreditorReference('rf712348231')).toBe('RF71 2348 231');
  });
});

describe('validateCreditorReference refuses', () => {
  it.each([
    ['RF19539007547034', 'rf-checksum'],
    ['RF17539007547034', 'rf-checksum'],
    ['RF18539007547035', 'rf-checksum'],
    ['RF18539007547043', 'rf-checksum'], // transposition
    ['RF722348231', 'rf-checksum'],
    ['RF00539007547034', 'rf-checksum'],
    ['RF99539007547034', 'rf-checksum'],
    ['RF18', 'rf-length'],
    ['RF181234567890123456789012', 'rf-length'], // 22-character body
    ['RX18539007547034', 'rf-format'],
    ['18539007547034', 'rf-format'],
    ['RF1A539007547034', 'rf-format'],
    ['RF18-5390-0754-7034', 'rf-format'],
    ['RF18 5390 0754 703Ä', 'rf-format'],
    ['', 'rf-format'],
  ])('%j with %s', (input, code) => {
    expect(validateCreditorReference(input)).toMatchObject({ ok: false, code });
    expect(isValidCreditorReference(input)).toBe(false);
  });
});

describe('createCreditorReference', () => {
  it('refuses bodies that cannot be one', () => {
    expect(() => createCreditorReference('')).toThrow(RangeError);
    expect(() => createCreditorReference('A'.repeat(22))).toThrow(RangeError);
    expect(() => createCreditorReference('AB-CD')).toThrow(RangeError);
  });

  it('round-trips: create, validate, format, normalise (property)', () => {
    const body = fc.string({ unit: fc.constantFrom(...ALNUM, ...'abcxyz'), minLength: 1, maxLength: 21 });
    fc.assert(
      fc.property(body, (b) => {
        const ref = createCreditorReference(b);
        expect(ref).toBe(`RF${ref.slice(2, 4)}${b.toUpperCase()}`);
        expect(validateCreditorReference(ref)).toEqual({ ok: true, reference: ref });
        expect(validateCreditorReference(formatCreditorReference(ref).toLowerCase())).toEqual({ ok: true, reference: ref });
        const check = Number(ref.slice(2, 4));
        expect(check).toBeGreaterThanOrEqual(2);
        expect(check).toBeLessThanOrEqual(98);
      }),
    );
  });

  it('any other pair of check digits is refused (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 21 }), fc.integer({ min: 0, max: 99 }), (b, n) => {
        const right = createCreditorReference(b);
        const other = `RF${String(n).padStart(2, '0')}${b}`;
        fc.pre(other !== right);
        expect(isValidCreditorReference(other)).toBe(false);
      }),
    );
  });
});

describe('generateCreditorReference', () => {
  it('makes valid, distinct references of 12 base36 characters by default', () => {
    const refs = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const ref = generateCreditorReference();
      expect(ref).toMatch(/^RF\d{2}[0-9A-Z]{12}$/);
      expect(isValidCreditorReference(ref)).toBe(true);
      refs.add(ref);
    }
    expect(refs.size).toBe(500);
  });

  it('takes a body length from 1 to 21', () => {
    expect(generateCreditorReference(16)).toMatch(/^RF\d{2}[0-9A-Z]{16}$/);
    expect(generateCreditorReference(21)).toHaveLength(25);
    expect(() => generateCreditorReference(0)).toThrow(RangeError);
    expect(() => generateCreditorReference(22)).toThrow(RangeError);
    expect(() => generateCreditorReference(1.5)).toThrow(RangeError);
  });
});

describe('findCreditorReference', () => {
  it.each([
    ['RF18539007547034', 'RF18539007547034'],
    ['Invoice RF18 5390 0754 7034 thank you', 'RF18539007547034'],
    ['rechnung rf18 5390 0754 7034', 'RF18539007547034'],
    ['RF18 5390 0754 7034 Rechnung 12', 'RF18539007547034'],
    ['REF:RF712348231/2025', 'RF712348231'],
    ['r f 1 8 5 3 9 0 0 7 5 4 7 0 3 4', 'RF18539007547034'],
    ['first RF19539007547034 then RF712348231', 'RF712348231'], // the first has a wrong check sum
    ['Zahlung Bestellung rf35 zp4w\n8n2r 6j1c danke', 'RF35ZP4W8N2R6J1C'],
  ])('%j -> %s', (text, ref) => {
    expect(findCreditorReference(text)).toBe(ref);
  });

  it.each(['', 'no reference here', 'RF19539007547034', 'RF18-5390-0754-7034', 'RF 18'])('finds nothing in %j', (text) => {
    expect(findCreditorReference(text)).toBeUndefined();
  });

  it('lists every valid candidate, those ending at a word boundary first', () => {
    // RF712348231 is valid; so, by chance, may be some longer run glued to the next word.
    const all = findCreditorReferences('RF71 2348 231 Kundennr 4711');
    expect(all[0]).toBe('RF712348231');
    for (const ref of all) expect(isValidCreditorReference(ref)).toBe(true);
  });

  it('tries the longest first when several lengths pass the check sum', () => {
    // RF18539007547034 and RF185390075470342R both have check digits 18: chance, 1 in 97.
    expect(isValidCreditorReference('RF185390075470342R')).toBe(true);
    expect(findCreditorReferences('RF18 5390 0754 7034 2R')).toEqual(['RF185390075470342R', 'RF18539007547034']);
    // Glued to the next word, a boundary-aligned candidate still comes first.
    expect(findCreditorReferences('RF18 5390 0754 7034 2Rechnung')).toEqual(['RF18539007547034', 'RF185390075470342R']);
  });

  it('finds any generated reference however the bank mangles it (property)', () => {
    const mangle = fc.func(fc.constantFrom('', ' ', '  '));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 21 }), fc.boolean(), mangle, fc.constantFrom('', 'Danke ', 'Rechnung 2025/12 '), (len, lower, gap, prefix) => {
        const ref = generateCreditorReference(len);
        let text = '';
        [...ref].forEach((ch, i) => (text += (lower ? ch.toLowerCase() : ch) + gap(i)));
        expect(findCreditorReferences(`${prefix}${text}`)).toContain(ref);
        expect(findCreditorReferences(`${prefix}${text} `)[0]).toBeDefined();
      }),
    );
  });
});
