import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatIban,
  IBAN_LENGTHS,
  ibanCheckDigits,
  isValidBic,
  isValidIban,
  mod97,
  normaliseIban,
  validateBic,
  validateIban,
} from '../../../../core/banking/iban';

/** The example IBAN of every country in the SWIFT IBAN registry. */
const REGISTRY_EXAMPLES = `
AD1200012030200359100100
AE070331234567890123456
AL47212110090000000235698741
AT611904300234573201
AZ21NABZ00000000137010001944
BA391290079401028494
BE68539007547034
BG80BNBG96611020345678
BH67BMAG00001299123456
BI4210000100010000332045181
BR1800360305000010009795493C1
BY13NBRB3600900000002Z00AB00
CH9300762011623852957
CR05015202001026284066
CY17002001280000001200527600
CZ6508000000192000145399
DE89370400440532013000
DJ2100010000000154000100186
DK5000400440116243
DO28BAGR00000001212453611324
EE382200221020145685
EG380019000500000000263180002
ES9121000418450200051332
FI2112345600000785
FK88SC123456789012
FO6264600001631634
FR1420041010050500013M02606
GB29NWBK60161331926819
GE29NB0000000101904917
GI75NWBK000000007099453
GL8964710001000206
GR1601101250000000012300695
GT82TRAJ01020000001210029690
HN88CABF00000000000250005469
HR1210010051863000160
HU42117730161111101800000000
IE29AIBK93115212345678
IL620108000000099999999
IQ98NBIQ850123456789012
IS140159260076545510730339
IT60X0542811101000000123456
JO94CBJO0010000000000131000302
KW81CBKU0000000000001234560101
KZ86125KZT5004100100
LB62099900000001001901229114
LC55HEMM000100010012001200023015
LI21088100002324013AA
LT121000011101001000
LU280019400644750000
LV80BANK0000435195001
LY83002048000020100120361
MC5811222000010123456789030
MD24AG000225100013104168
ME25505000012345678951
MK07250120000058984
MN121234123456789123
MR1300020001010000123456753
MT84MALT011000012345MTLCAST001S
MU17BOMM0101101030300200000MUR
NI45BAPR00000013000003558124
NL91ABNA0417164300
NO9386011117947
OM810180000001299123456
PK36SCBL0000001123456702
PL61109010140000071219812874
PS92PALS000000000400123456702
PT50000201231234567890154
QA58DOHB00001234567890ABCDEFG
RO49AAAA1B31007593840000
RS35260005601001611379
RU0304452522540817810538091310419
SA0380000000608010167519
SC18SSCB11010000000000001497USD
SD2129010501234001
SE4550000000058398257466
SI56263300012039086
SK3112000000198742637541
SM86U0322509800000000270100
SO211000001001000100141
ST68000100010051845310112
SV62CENR00000000000000700025
TL380080012345678910157
TN5910006035183598478831
TR330006100519786457841326
UA213223130000026007233566001
VA59001123000012345678
VG96VPVG0000012345678901
XK051212012345678906
YE15CBYE0001018861234567891234
`.trim().split('\n');

describe('validateIban', () => {
  it.each([
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'NL91ABNA0417164300',
    'FR1420041010050500013M02606',
    'BE71096123456769',
    'CH9300762011623852957',
    'NO9386011117947',
    'LC55HEMM000100010012001200023015',
  ])('accepts %s', (iban) => {
    expect(validateIban(iban)).toEqual({ ok: true, iban, country: iban.slice(0, 2) });
    expect(isValidIban(iban)).toBe(true);
  });

  it('accepts the registry example of every listed country, and lists every country with an example', () => {
    expect(REGISTRY_EXAMPLES).toHaveLength(Object.keys(IBAN_LENGTHS).length);
    for (const iban of REGISTRY_EXAMPLES) {
      expect(validateIban(iban), iban).toMatchObject({ ok: true, iban });
      expect(iban.length, iban).toBe(IBAN_LENGTHS[iban.slice(0, 2)]);
    }
    expect(new Set(REGISTRY_EXAMPLES.map((i) => i.slice(0, 2))).size).toBe(REGISTRY_EXAMPLES.length);
  });

  it('normalises spaces (also non-breaking ones) and lower case', () => {
    expect(validateIban(' de89 3704 0044 0532 0130 00 ')).toEqual({ ok: true, iban: 'DE89370400440532013000', country: 'DE' });
    expect(validateIban('gb82\u00a0west\u00a01234\u00a05698\u00a07654\u00a032')).toMatchObject({ ok: true, iban: 'GB82WEST12345698765432' });
    expect(normaliseIban('nl91 abna 0417 1643 00')).toBe('NL91ABNA0417164300');
  });

  it.each([
    ['DE89370400440532013001', 'iban-checksum'],
    ['DE88370400440532013000', 'iban-checksum'],
    ['GB82WEST12345698765431', 'iban-checksum'],
    ['NL91ABNA0417164301', 'iban-checksum'],
    ['FR1420041010050500013M02607', 'iban-checksum'],
    ['BE71096123456768', 'iban-checksum'],
    ['GB28WEST12345698765432', 'iban-checksum'], // transposed check digits
    ['DE8937040044053201300', 'iban-length'],
    ['DE893704004405320130000', 'iban-length'],
    ['BE7109612345676', 'iban-length'],
    ['XX89370400440532013000', 'iban-country-unknown'],
    ['US64SVBKUS6S3300958879', 'iban-country-unknown'],
    ['DE89-3704-0044-0532-0130-00', 'iban-format'],
    ['D189370400440532013000', 'iban-format'],
    ['DEAB370400440532013000', 'iban-format'],
    ['DE89', 'iban-format'],
    ['', 'iban-format'],
    ['DE89370400440532013ä00', 'iban-format'],
  ])('refuses %j with %s', (iban, code) => {
    const result = validateIban(iban);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.detail.length).toBeGreaterThan(10);
    expect(isValidIban(iban)).toBe(false);
  });

  it('refuses check digits 00, 01 and 99 even where mod 97 would pass', () => {
    expect(isValidIban('DE98370400440532000034')).toBe(true);
    expect(mod97('370400440532000034DE01')).toBe(1);
    expect(validateIban('DE01370400440532000034')).toMatchObject({ ok: false, code: 'iban-checksum' });
    expect(isValidIban('DE97370400440532000052')).toBe(true);
    expect(validateIban('DE00370400440532000052')).toMatchObject({ ok: false, code: 'iban-checksum' });
  });

  it('says which length a country wants', () => {
    const result = validateIban('NL91ABNA041716430');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).toContain('18');
  });
});

describe('formatIban', () => {
  it.each([
    ['DE89370400440532013000', 'DE89 3704 0044 0532 0130 00'],
    ['be71096123456769', 'BE71 0961 2345 6769'],
    ['NO9386011117947', 'NO93 8601 1117 947'],
    ['FR14 2004 1010 0505 0001 3M02 606', 'FR14 2004 1010 0505 0001 3M02 606'],
  ])('%s -> %s', (input, formatted) => {
    expect(formatIban(input)).toBe(formatted);
  });
});

describe('ibanCheckDigits', () => {
  it('computes the registry examples', () => {
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
    expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
    expect(ibanCheckDigits('NO', '86011117947')).toBe('93');
  });

  it('builds IBANs that validate, format and normalise back (property)', () => {
    const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const countryAndBban = fc
      .constantFrom(...Object.keys(IBAN_LENGTHS))
      .chain((cc) => fc.tuple(fc.constant(cc), fc.string({ unit: alnum, minLength: IBAN_LENGTHS[cc]! - 4, maxLength: IBAN_LENGTHS[cc]! - 4 })));
    fc.assert(
      fc.property(countryAndBban, ([cc, bban]) => {
        const iban = cc + ibanCheckDigits(cc, bban) + bban;
        expect(validateIban(iban)).toEqual({ ok: true, iban, country: cc });
        expect(validateIban(formatIban(iban).toLowerCase())).toEqual({ ok: true, iban, country: cc });
        expect(normaliseIban(formatIban(iban))).toBe(iban);
      }),
    );
  });

  it('catches every single-character substitution and adjacent transposition (property)', () => {
    const base = 'DE89370400440532013000';
    fc.assert(
      fc.property(fc.integer({ min: 4, max: base.length - 1 }), fc.integer({ min: 0, max: 9 }), (pos, digit) => {
        const changed = base.slice(0, pos) + String(digit) + base.slice(pos + 1);
        fc.pre(changed !== base);
        expect(isValidIban(changed)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 4, max: base.length - 2 }), (pos) => {
        const swapped = base.slice(0, pos) + base[pos + 1] + base[pos] + base.slice(pos + 2);
        fc.pre(swapped !== base);
        expect(isValidIban(swapped)).toBe(false);
      }),
    );
  });
});

describe('validateBic', () => {
  it.each([
    ['COBADEFFXXX', 'COBADEFFXXX'],
    ['COBADEFF', 'COBADEFF'],
    ['deutdeff', 'DEUTDEFF'],
    ['ABNA NL 2A', 'ABNANL2A'],
    ['BNPAFRPPXXX', 'BNPAFRPPXXX'],
    ['GEBABEBB', 'GEBABEBB'],
    ['1234DEFF', '1234DEFF'], // ISO 9362:2014 lets the party prefix have digits
  ])('accepts %j as %s', (input, bic) => {
    expect(validateBic(input)).toEqual({ ok: true, bic });
    expect(isValidBic(input)).toBe(true);
  });

  it.each([
    ['COBADEF', 'bic-length'],
    ['COBADEFFXX', 'bic-length'],
    ['COBADEFFXXXX', 'bic-length'],
    ['', 'bic-length'],
    ['COBA1EFF', 'bic-format'], // country must be letters
    ['COBADEF_', 'bic-format'],
    ['COBADEFFXX-', 'bic-format'],
  ])('refuses %j with %s', (input, code) => {
    expect(validateBic(input)).toMatchObject({ ok: false, code });
  });
});
