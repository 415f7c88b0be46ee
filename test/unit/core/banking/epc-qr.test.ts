import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildEpcQrPayload,
  EPC_QR_ERROR_CORRECTION,
  EPC_QR_MAX_BYTES,
  epcDisallowedCharacters,
  formatEpcAmount,
  type EpcQrInput,
} from '../../../../core/banking/epc-qr';
import { createCreditorReference } from '../../../../core/banking/creditor-reference';

const INPUT: EpcQrInput = {
  accountHolder: 'Café Müller & Sohn',
  iban: 'DE89 3704 0044 0532 0130 00',
  bic: 'cobadeffxxx',
  amount: 1250,
  creditorReference: 'rf18 5390 0754 7034',
  note: 'SHOP-0a1B',
};

function payload(input: Partial<EpcQrInput> = {}): string {
  const result = buildEpcQrPayload({ ...INPUT, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.payload;
}

function errors(input: Partial<EpcQrInput>) {
  const result = buildEpcQrPayload({ ...INPUT, ...input });
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe('EPC QR payload', () => {
  it('has the twelve EPC069-12 v002 lines, in order, separated by \\n', () => {
    const lines = payload().split('\n');
    expect(lines).toEqual([
      'BCD', // service tag
      '002', // version
      '1', // character set UTF-8
      'SCT', // SEPA credit transfer
      'COBADEFFXXX', // BIC, normalised
      'Café Müller & Sohn', // beneficiary
      'DE89370400440532013000', // IBAN without spaces
      'EUR12.50',
      '', // purpose
      'RF18539007547034', // structured remittance: the creditor reference, normalised
      '', // unstructured remittance stays empty beside a structured one
      'SHOP-0a1B', // note to the payer
    ]);
    expect(payload()).not.toMatch(/\r|\n$/);
  });

  it('reports its size in UTF-8 bytes', () => {
    const result = buildEpcQrPayload(INPUT);
    expect(result.ok && result.bytes).toBe(Buffer.byteLength(payload(), 'utf8'));
  });

  it('leaves the BIC line empty when there is no BIC (allowed in version 002)', () => {
    for (const bic of [undefined, null, '', '  ']) expect(payload({ bic }).split('\n')[4]).toBe('');
  });

  it('trims the holder and note, and ends at the reference when there is no note', () => {
    expect(payload({ accountHolder: '  Café  ' }).split('\n')[5]).toBe('Café');
    const lines = payload({ note: null }).split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[9]).toBe('RF18539007547034');
  });

  it('error correction level M is exported for the renderer', () => {
    expect(EPC_QR_ERROR_CORRECTION).toBe('M');
    expect(EPC_QR_MAX_BYTES).toBe(331);
  });
});

describe('EPC amount', () => {
  it.each([
    [1, 'EUR0.01'],
    [10, 'EUR0.10'],
    [100, 'EUR1.00'],
    [1250, 'EUR12.50'],
    [123456, 'EUR1234.56'],
    [99_999_999_999, 'EUR999999999.99'],
  ])('%i cents -> %s', (cents, text) => {
    expect(formatEpcAmount(cents)).toBe(text);
    expect(payload({ amount: cents }).split('\n')[7]).toBe(text);
  });

  it.each([0, -1, 100_000_000_000, 12.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (amount) => {
    expect(errors({ amount })).toEqual([expect.objectContaining({ field: 'amount', code: 'epc-amount-invalid' })]);
  });

  it('is exact for every cent amount (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_999 }), (cents) => {
        const m = /^EUR(\d+)\.(\d{2})$/.exec(formatEpcAmount(cents));
        expect(m).not.toBeNull();
        expect(BigInt(m![1]!) * 100n + BigInt(m![2]!)).toBe(BigInt(cents));
      }),
    );
  });
});

describe('EPC field checks', () => {
  it('needs an account holder of at most 70 characters', () => {
    expect(errors({ accountHolder: ' ' })).toEqual([expect.objectContaining({ field: 'accountHolder', code: 'epc-name-missing' })]);
    expect(errors({ accountHolder: 'x'.repeat(71) })).toEqual([expect.objectContaining({ field: 'accountHolder', code: 'epc-name-too-long' })]);
    expect(payload({ accountHolder: 'ü'.repeat(70) }).split('\n')[5]).toHaveLength(70);
  });

  it('refuses characters outside the Latin sets EPC allows, naming them', () => {
    const [err] = errors({ accountHolder: 'Shop 🛒 東京' });
    expect(err).toMatchObject({ field: 'accountHolder', code: 'epc-charset', characters: ['🛒', '東', '京'] });
    expect(err!.detail).toContain('🛒');
  });

  it('refuses line breaks and control characters, which would shift the fields', () => {
    expect(errors({ accountHolder: 'Evil\nDE00' })).toEqual([expect.objectContaining({ code: 'epc-charset', characters: ['\n'] })]);
    expect(errors({ note: 'a\tb' })).toEqual([expect.objectContaining({ field: 'note', code: 'epc-charset' })]);
    expect(errors({ accountHolder: 'a\u0000b' })[0]).toMatchObject({ code: 'epc-charset' });
  });

  it('accepts the Latin letters of European names and the euro sign', () => {
    for (const name of ['Łódź Sp. z o.o.', 'Šťastný s.r.o.', 'Øresund ApS', 'Ærø Café', 'Œuvre €', "O'Neill (Cork) + Co. / 1-2?:"]) {
      expect(epcDisallowedCharacters(name), name).toEqual([]);
      expect(buildEpcQrPayload({ ...INPUT, accountHolder: name }).ok, name).toBe(true);
    }
    expect(epcDisallowedCharacters('Αθήνα Москва')).toContain('Α');
  });

  it('checks the IBAN, BIC and creditor reference with their own rules', () => {
    expect(errors({ iban: 'DE89370400440532013001' })).toEqual([expect.objectContaining({ field: 'iban', code: 'epc-iban-invalid' })]);
    expect(errors({ bic: 'COBADEF' })).toEqual([expect.objectContaining({ field: 'bic', code: 'epc-bic-invalid' })]);
    expect(errors({ creditorReference: 'RF19539007547034' })).toEqual([
      expect.objectContaining({ field: 'creditorReference', code: 'epc-reference-invalid' }),
    ]);
  });

  it('limits the note to 70 characters', () => {
    expect(errors({ note: 'n'.repeat(71) })).toEqual([expect.objectContaining({ field: 'note', code: 'epc-note-too-long' })]);
    expect(payload({ note: 'n'.repeat(70) }).endsWith('n'.repeat(70))).toBe(true);
  });

  it('reports every problem at once', () => {
    const codes = errors({ accountHolder: '', iban: 'XX00', bic: 'X', amount: 0, creditorReference: 'RF00', note: 'n'.repeat(80) }).map((e) => e.code);
    expect(codes).toEqual(['epc-name-missing', 'epc-iban-invalid', 'epc-bic-invalid', 'epc-amount-invalid', 'epc-reference-invalid', 'epc-note-too-long']);
  });
});

describe('EPC 331-byte limit', () => {
  it('fits the longest ASCII fields', () => {
    const result = buildEpcQrPayload({
      accountHolder: 'H'.repeat(70),
      iban: 'LC55HEMM000100010012001200023015',
      bic: 'COBADEFFXXX',
      amount: 99_999_999_999,
      creditorReference: createCreditorReference('ABCDEFGHIJKLMNOPQRSTU'),
      note: 'N'.repeat(70),
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.bytes).toBeLessThanOrEqual(EPC_QR_MAX_BYTES);
  });

  it('refuses a payload over 331 bytes (multi-byte characters count as bytes)', () => {
    const result = buildEpcQrPayload({ ...INPUT, accountHolder: '€'.repeat(70), note: '€'.repeat(40) });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'payload', code: 'epc-too-long' }] });
    if (!result.ok) expect(result.errors[0]!.detail).toMatch(/\d+ bytes/);
  });

  it('accepts exactly 331 bytes', () => {
    const accountHolder = '€'.repeat(70); // 210 bytes
    const base = buildEpcQrPayload({ ...INPUT, accountHolder, note: '' });
    if (!base.ok) throw new Error('base payload refused');
    const room = EPC_QR_MAX_BYTES - base.bytes - 2; // "\n\n" before the note
    const note = 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
    expect(note.length).toBeLessThanOrEqual(70);
    expect(buildEpcQrPayload({ ...INPUT, accountHolder, note })).toMatchObject({ ok: true, bytes: 331 });
    expect(buildEpcQrPayload({ ...INPUT, accountHolder, note: note + 'x' })).toMatchObject({ ok: false, errors: [{ code: 'epc-too-long' }] });
  });
});
