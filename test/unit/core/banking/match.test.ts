import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatement, type StatementCredit, type StatementReversal } from '../../../../core/banking/camt';
import { findRefIds, matchStatement, referenceCandidates, type MatchCandidate, type PaymentLookup } from '../../../../core/banking/match';

const FIXTURES = join(__dirname, '../../../fixtures/camt');
const parse = (name: string) => parseStatement(readFileSync(join(FIXTURES, name)));

/** An in-memory store: payments by creditor reference and refId; records every look-up. */
function lookupOf(payments: Array<MatchCandidate & { rf?: string; refId?: string }>, imported: string[] = []) {
  const calls: string[] = [];
  const lookup: PaymentLookup = {
    byCreditorReference(ref) {
      calls.push(`rf:${ref}`);
      const p = payments.find((x) => x.rf === ref);
      return p && { paymentId: p.paymentId, status: p.status, amount: p.amount, amountReceived: p.amountReceived };
    },
    byRefId(refId) {
      calls.push(`refId:${refId}`);
      const p = payments.find((x) => x.refId === refId);
      return p && { paymentId: p.paymentId, status: p.status, amount: p.amount, amountReceived: p.amountReceived };
    },
    isImported: (key) => imported.includes(key),
  };
  return { lookup, calls };
}

let seq = 0;
function credit(over: Partial<StatementCredit> = {}): StatementCredit {
  seq++;
  return {
    dedupeKey: `key-${seq}`,
    statementId: 'S',
    statementIndex: 0,
    entryIndex: seq,
    txIndex: 0,
    batch: false,
    amount: 1000,
    currency: 'EUR',
    bookedOn: '2025-03-14',
    valueDate: null,
    debtorName: null,
    debtorIban: null,
    structuredReferences: [],
    remittance: null,
    endToEndId: null,
    accountServicerRef: null,
    isReturn: false,
    additionalInfo: null,
    ...over,
  };
}

const reversal = (over: Partial<StatementReversal> = {}): StatementReversal => ({ ...credit(), creditDebit: 'DBIT', ...over });

const pending = (paymentId: string, amount: number, keys: { rf?: string; refId?: string }, amountReceived = 0) => ({
  paymentId,
  status: 'pending',
  amount,
  amountReceived,
  ...keys,
});

describe('findRefIds', () => {
  it.each([
    ['Kaffee und Kuchen, Ref: CAFE-00Xy. Danke!', ['CAFE-00Xy']],
    ['SHOP-a7Bx', ['SHOP-a7Bx']],
    ['INV-2025-0042 and X-zzzz', ['INV-2025-0042', 'X-zzzz']],
    ['ref/SHOP-a7Bx/end', ['SHOP-a7Bx']],
    ['no refs here', []],
    ['SHOP-a7B', []], // three characters
    ['SHOP-a7Bxy', []], // five characters
    ['ABCDEFGHIJKLMN-0001', []], // base of 14 characters
    ['SHOP_a7Bx', []],
  ])('%j -> %j', (text, refIds) => {
    expect(findRefIds(text)).toEqual(refIds);
  });
});

describe('referenceCandidates', () => {
  it('puts a valid structured reference first, then RFs in Ustrd, then refIds', () => {
    expect(referenceCandidates({ structuredReferences: ['rf18 5390 0754 7034'], remittance: 'RF712348231 SHOP-a7Bx' })).toEqual([
      { source: 'structured', value: 'RF18539007547034' },
      { source: 'remittance-rf', value: 'RF712348231' },
      { source: 'remittance-ref-id', value: 'SHOP-a7Bx' },
    ]);
  });

  it('searches only the first 1000 characters of the remittance', () => {
    expect(referenceCandidates({ structuredReferences: [], remittance: `${'x '.repeat(400)}RF712348231` })).toHaveLength(1);
    expect(referenceCandidates({ structuredReferences: [], remittance: `${'RF00'.repeat(1_000_000)} RF712348231` })).toEqual([]);
  });

  it('a structured reference with a wrong check sum is no reference', () => {
    expect(referenceCandidates({ structuredReferences: ['RF19539007547034', '4654654654654654'], remittance: null })).toEqual([]);
  });
});

describe('matchStatement', () => {
  it('matches the Counterlink statement: structured, Ustrd RF (mangled), refId, a batch', async () => {
    const s = parse('counterlink/camt053.v08.sepa.xml');
    const { lookup } = lookupOf([
      pending('pay_A', 1250, { rf: 'RF91K7Q2M9X4TB3P' }),
      pending('pay_B', 3000, { rf: 'RF35ZP4W8N2R6J1C' }),
      pending('pay_C', 700, { refId: 'CAFE-00Xy' }),
      pending('pay_D', 2000, { rf: 'RF77A1B2C3D4E5F6' }),
      pending('pay_E', 5000, { rf: 'RF12H8J2L5N7Q1S3' }),
      pending('pay_F', 1250, { rf: 'RF05W3E5R7T9Y2U4' }),
    ]);
    const result = await matchStatement(s, lookup);
    expect(result.credits.map((o) => [o.type, o.type === 'duplicate' ? null : o.type === 'matched' ? o.paymentId : o.reason])).toEqual([
      ['matched', 'pay_A'],
      ['matched', 'pay_B'],
      ['matched', 'pay_C'],
      ['matched', 'pay_D'],
      ['matched', 'pay_E'],
      ['unmatched', 'return'], // a return never pays a payment
      ['unmatched', 'no-reference'], // RF with a wrong check sum
    ]);
    const [a, b, c, d, e] = result.credits;
    expect(a).toMatchObject({ reference: { source: 'structured', value: 'RF91K7Q2M9X4TB3P' }, amount: 1250, amountReceived: 1250, completes: true, overpaidAmount: 0 });
    expect(b).toMatchObject({ reference: { source: 'remittance-rf', value: 'RF35ZP4W8N2R6J1C' }, completes: true });
    expect(c).toMatchObject({ reference: { source: 'remittance-ref-id', value: 'CAFE-00Xy' }, completes: true });
    expect(d).toMatchObject({ amount: 2000, completes: true });
    expect(e).toMatchObject({ amount: 2500, amountReceived: 2500, completes: false, overpaidAmount: 0 });
    // The reversal of pay_A's credit, in the same file, flags pay_A.
    expect(result.reversals).toEqual([expect.objectContaining({ type: 'flag', paymentId: 'pay_A', amount: 1250 })]);
  });

  it('several credits to one payment add up; the one that reaches the amount completes it', async () => {
    const { lookup } = lookupOf([pending('pay_1', 5000, { rf: 'RF18539007547034' }, 1000)]);
    const ref = { structuredReferences: ['RF18539007547034'] };
    const result = await matchStatement({ credits: [credit({ ...ref, amount: 1500 }), credit({ ...ref, amount: 2000 }), credit({ ...ref, amount: 1000 })] }, lookup);
    expect(result.credits.map((o) => (o.type === 'matched' ? [o.amountReceived, o.completes, o.overpaidAmount] : o.type))).toEqual([
      [2500, false, 0],
      [4500, false, 0],
      [5500, true, 500],
    ]);
  });

  it('money after the payment completed in this import is "payment-not-pending"', async () => {
    const { lookup } = lookupOf([pending('pay_1', 1000, { rf: 'RF18539007547034' })]);
    const ref = { structuredReferences: ['RF18539007547034'] };
    const result = await matchStatement({ credits: [credit(ref), credit(ref)] }, lookup);
    expect(result.credits[0]).toMatchObject({ type: 'matched', completes: true });
    expect(result.credits[1]).toMatchObject({ type: 'unmatched', reason: 'payment-not-pending', paymentId: 'pay_1' });
  });

  it('a payment that is no longer pending takes nothing', async () => {
    for (const status of ['succeeded', 'abandoned', 'cancelled', 'refunded']) {
      const { lookup } = lookupOf([{ paymentId: 'pay_1', status, amount: 1000, amountReceived: 0, rf: 'RF18539007547034' }]);
      const result = await matchStatement({ credits: [credit({ structuredReferences: ['RF18539007547034'] })] }, lookup);
      expect(result.credits[0], status).toMatchObject({ type: 'unmatched', reason: 'payment-not-pending', paymentId: 'pay_1' });
    }
  });

  it('overpays in one go', async () => {
    const { lookup } = lookupOf([pending('pay_1', 1000, { refId: 'SHOP-a7Bx' })]);
    const result = await matchStatement({ credits: [credit({ remittance: 'SHOP-a7Bx', amount: 1200 })] }, lookup);
    expect(result.credits[0]).toMatchObject({ type: 'matched', completes: true, amountReceived: 1200, overpaidAmount: 200 });
  });

  it('no reference / unknown reference', async () => {
    const { lookup } = lookupOf([]);
    const result = await matchStatement(
      { credits: [credit({ remittance: 'Danke' }), credit({ structuredReferences: ['RF18539007547034'] }), credit({ remittance: 'SHOP-a7Bx' })] },
      lookup,
    );
    expect(result.credits).toEqual([
      expect.objectContaining({ type: 'unmatched', reason: 'no-reference', reference: null }),
      expect.objectContaining({ type: 'unmatched', reason: 'unknown-reference', reference: { source: 'structured', value: 'RF18539007547034' } }),
      expect.objectContaining({ type: 'unmatched', reason: 'unknown-reference', reference: { source: 'remittance-ref-id', value: 'SHOP-a7Bx' } }),
    ]);
  });

  it('tries the next quoted reference when the first is unknown', async () => {
    const { lookup, calls } = lookupOf([pending('pay_1', 1000, { refId: 'SHOP-a7Bx' })]);
    const result = await matchStatement({ credits: [credit({ structuredReferences: ['RF18539007547034'], remittance: 'SHOP-a7Bx' })] }, lookup);
    expect(result.credits[0]).toMatchObject({ type: 'matched', paymentId: 'pay_1', reference: { source: 'remittance-ref-id' } });
    expect(calls).toEqual(['rf:RF18539007547034', 'refId:SHOP-a7Bx']);
  });

  it('refIds are matched case-sensitively', async () => {
    const { lookup } = lookupOf([pending('pay_1', 1000, { refId: 'SHOP-a7Bx' })]);
    const result = await matchStatement({ credits: [credit({ remittance: 'SHOP-A7BX' })] }, lookup);
    expect(result.credits[0]).toMatchObject({ type: 'unmatched', reason: 'unknown-reference' });
  });

  it('duplicates (imported before, or twice in one import) change nothing', async () => {
    const { lookup } = lookupOf([pending('pay_1', 2000, { rf: 'RF18539007547034' })], ['seen-before']);
    const ref = { structuredReferences: ['RF18539007547034'] };
    const result = await matchStatement(
      { credits: [credit({ ...ref, dedupeKey: 'seen-before' }), credit({ ...ref, dedupeKey: 'k1' }), credit({ ...ref, dedupeKey: 'k1' })] },
      lookup,
    );
    expect(result.credits.map((o) => o.type)).toEqual(['duplicate', 'matched', 'duplicate']);
    expect(result.credits[1]).toMatchObject({ amountReceived: 1000, completes: false });
  });

  it('overlapping camt.052 and camt.053: the second import finds the first one\'s credits duplicate', async () => {
    const payments = [pending('pay_A', 1250, { rf: 'RF91K7Q2M9X4TB3P' }), pending('pay_B', 3000, { rf: 'RF35ZP4W8N2R6J1C' })];
    const intraday = parse('counterlink/camt052.v08.intraday.xml');
    const first = await matchStatement(intraday, lookupOf(payments).lookup);
    expect(first.credits.map((o) => o.type)).toEqual(['matched', 'matched']);
    const imported = intraday.credits.map((c) => c.dedupeKey);
    const night = await matchStatement(parse('counterlink/camt053.v08.sepa.xml'), lookupOf(payments, imported).lookup);
    expect(night.credits.slice(0, 2).map((o) => o.type)).toEqual(['duplicate', 'duplicate']);
  });

  it('accepts an async lookup', async () => {
    const sync = lookupOf([pending('pay_1', 700, { refId: 'SHOP-a7Bx' })]).lookup;
    const lookup: PaymentLookup = {
      byCreditorReference: async (r) => sync.byCreditorReference(r),
      byRefId: async (r) => sync.byRefId(r),
      isImported: async () => false,
    };
    const result = await matchStatement(parse('counterlink/camt054.v04.xml'), lookup);
    expect(result.credits).toEqual([expect.objectContaining({ type: 'matched', paymentId: 'pay_1', completes: true })]);
  });

  it('matches the v2 (prefixed) statement, a batch of two credits to one refId adding up', async () => {
    const { lookup } = lookupOf([pending('pay_1', 1990, { rf: 'RF40M0N1B2V3C4X5' }), pending('pay_2', 1500, { refId: 'CAFE-00Xy' })]);
    const result = await matchStatement(parse('counterlink/camt053.v02.prefixed.xml'), lookup);
    expect(result.credits.map((o) => (o.type === 'matched' ? [o.paymentId, o.amountReceived, o.completes] : o.type))).toEqual([
      ['pay_1', 1990, true],
      ['pay_2', 1000, false],
      ['pay_2', 1500, true],
    ]);
  });

  it('works without isImported', async () => {
    const { lookup } = lookupOf([pending('pay_1', 1000, { rf: 'RF18539007547034' })]);
    delete lookup.isImported;
    const result = await matchStatement({ credits: [credit({ structuredReferences: ['RF18539007547034'] })] }, lookup);
    expect(result.credits[0]!.type).toBe('matched');
  });
});

describe('reversals', () => {
  const ref = { structuredReferences: ['RF18539007547034'] };

  it('flag a payment that had received money before this import', async () => {
    const { lookup } = lookupOf([{ paymentId: 'pay_1', status: 'succeeded', amount: 1000, amountReceived: 1000, rf: 'RF18539007547034' }]);
    const result = await matchStatement({ credits: [], reversals: [reversal({ ...ref, amount: 1000 })] }, lookup);
    expect(result.reversals).toEqual([expect.objectContaining({ type: 'flag', paymentId: 'pay_1', amount: 1000, reference: { source: 'structured', value: 'RF18539007547034' } })]);
  });

  it('are ignored, with a reason, when they cannot concern a matched credit', async () => {
    const { lookup } = lookupOf([pending('pay_1', 1000, { rf: 'RF18539007547034' })], ['old']);
    const result = await matchStatement(
      {
        credits: [],
        reversals: [
          reversal({ ...ref, creditDebit: 'CRDT' }),
          reversal({ remittance: 'nothing' }),
          reversal({ structuredReferences: ['RF712348231'] }),
          reversal(ref),
          reversal({ ...ref, dedupeKey: 'old' }),
        ],
      },
      lookup,
    );
    expect(result.reversals.map((o) => (o.type === 'ignored' ? o.reason : o.type))).toEqual([
      'not-a-credit-reversal',
      'no-reference',
      'unknown-reference',
      'no-credits',
      'duplicate',
    ]);
  });
});
