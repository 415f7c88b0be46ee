import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  generateRefIdBase,
  looksLikePaymentRefId,
  paymentRefId,
  REF_ID_BASE_PATTERN,
  REF_SEQ_MAX,
  refSeqSuffix,
} from '../../../core/refid';
import { BASE62 } from '../../../core/ids';
import { expectProblem, expectValidation, makeCore, type TestCore } from '../../support/core';
import { rawDb } from '../../support/raw-db';

describe('refSeqSuffix', () => {
  it.each([
    [1, '0001'],
    [9, '0009'],
    [10, '000A'],
    [35, '000Z'],
    [36, '000a'],
    [61, '000z'],
    [62, '0010'],
    [63, '0011'],
    [62 * 62, '0100'],
    [62 ** 3, '1000'],
    [62 ** 4 - 1, 'zzzz'],
  ])('%i -> %s', (seq, suffix) => {
    expect(refSeqSuffix(seq)).toBe(suffix);
  });

  it('REF_SEQ_MAX is 62^4 - 1', () => {
    expect(REF_SEQ_MAX).toBe(14_776_335);
  });

  it.each([0, -1, 62 ** 4, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws for %s', (seq) => {
    expect(() => refSeqSuffix(seq)).toThrow(RangeError);
  });

  it('encodes seq as four base62 digits that decode back (property)', () => {
    const decode = (s: string) => [...s].reduce((n, ch) => n * 62 + BASE62.indexOf(ch), 0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: REF_SEQ_MAX - 1 }), (seq) => {
        const a = refSeqSuffix(seq);
        const b = refSeqSuffix(seq + 1);
        expect(b).not.toBe(a);
        expect(a).toMatch(/^[0-9A-Za-z]{4}$/);
        expect(decode(a)).toBe(seq);
        expect(decode(b)).toBe(seq + 1);
      }),
    );
  });

  it('paymentRefId joins base and suffix', () => {
    expect(paymentRefId('ORDER-ABC', 1)).toBe('ORDER-ABC-0001');
    expect(paymentRefId('X', 62)).toBe('X-0010');
  });
});

describe('ref id bases', () => {
  it('generated bases are 10 unambiguous upper-case alphanumerics and valid bases', () => {
    for (let i = 0; i < 200; i++) {
      const base = generateRefIdBase();
      expect(base).toMatch(/^[0-9A-HJ-NP-Z]{10}$/);
      expect(REF_ID_BASE_PATTERN.test(base)).toBe(true);
    }
  });

  it.each([
    ['A', true],
    ['ORDER-ABC', true],
    ['abcdefghijklm', true],
    ['abcdefghijklmn', false],
    ['', false],
    ['A_B', false],
    ['A B', false],
    ['Ä', false],
  ])('pattern %j -> %s', (base, ok) => {
    expect(REF_ID_BASE_PATTERN.test(base)).toBe(ok);
  });

  it('looksLikePaymentRefId finds the base of a refId-shaped string', () => {
    expect(looksLikePaymentRefId('AB-0001')).toEqual({ base: 'AB' });
    expect(looksLikePaymentRefId('A-B-zzzz')).toEqual({ base: 'A-B' });
    expect(looksLikePaymentRefId('AB-001')).toBeUndefined();
    expect(looksLikePaymentRefId('AB0001')).toBeUndefined();
    expect(looksLikePaymentRefId('-0001')).toBeUndefined();
  });
});

describe('refIds of links and payments', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await makeCore();
  });
  afterEach(() => t.core.close());

  const multiple = (refIdBase?: string) =>
    t.core.links.create({ name: 'Donations', amount: '5', reuse: 'multiple', ...(refIdBase ? { refIdBase } : {}) });

  it('payments on a link get BASE-0001, BASE-0002, … in order', async () => {
    const link = await multiple('ORDER-ABC');
    expect(link.refIdBase).toBe('ORDER-ABC');
    const refIds = [];
    for (let i = 0; i < 5; i++) {
      const { payment } = await t.core.payments.start(link.id, {});
      refIds.push(payment.refId);
      // ending it one way or another must not change the numbering
      await t.core.payments.complete(payment.id, i % 2 === 0 ? 'succeeded' : 'failed');
    }
    expect(refIds).toEqual(['ORDER-ABC-0001', 'ORDER-ABC-0002', 'ORDER-ABC-0003', 'ORDER-ABC-0004', 'ORDER-ABC-0005']);
  });

  it('counts each link on its own', async () => {
    const a = await multiple('AAA');
    const b = await multiple('BBB');
    expect((await t.core.payments.start(a.id, {})).payment.refId).toBe('AAA-0001');
    expect((await t.core.payments.start(b.id, {})).payment.refId).toBe('BBB-0001');
    expect((await t.core.payments.start(a.id, {})).payment.refId).toBe('AAA-0002');
  });

  it('a generated base is used when none is given, and payments follow it', async () => {
    const link = await multiple();
    expect(link.refIdBase).toMatch(/^[0-9A-HJ-NP-Z]{10}$/);
    expect((await t.core.payments.start(link.id, {})).payment.refId).toBe(`${link.refIdBase}-0001`);
  });

  it('refuses a malformed base as a validation error on refIdBase', async () => {
    for (const refIdBase of ['', 'has space', 'x'.repeat(14), 'a_b', 12]) {
      const err = await expectValidation(() => t.core.links.create({ name: 'L', refIdBase }));
      expect(err.errors.map((e) => e.path)).toEqual(['refIdBase']);
    }
  });

  it('refuses a base that another link already has (ref-id-conflict)', async () => {
    await multiple('SHOP-1');
    await expectProblem(() => multiple('SHOP-1'), 'ref-id-conflict');
    // nothing of the refused link was stored
    expect((await t.core.links.list({}, { limit: 50 })).data).toHaveLength(1);
  });

  it('bases are case-sensitive (the alphabet is)', async () => {
    await multiple('abc');
    expect((await multiple('ABC')).refIdBase).toBe('ABC');
  });

  it("refuses a base that equals an existing payment's refId", async () => {
    const link = await multiple('INV');
    await t.core.payments.start(link.id, {});
    await expectProblem(() => multiple('INV-0001'), 'ref-id-conflict');
  });

  it('refuses a base that an existing base could still produce as a payment refId', async () => {
    await multiple('AB');
    for (const base of ['AB-0001', 'AB-0002', 'AB-zzzz', 'AB-0010']) {
      await expectProblem(() => multiple(base), 'ref-id-conflict');
    }
    // not refId-shaped: fine
    expect((await multiple('AB-001')).refIdBase).toBe('AB-001');
    expect((await multiple('AB-00001')).refIdBase).toBe('AB-00001');
    expect((await multiple('ABC-0001')).refIdBase).toBe('ABC-0001');
  });

  it('a refused base leaves no claim behind', async () => {
    await multiple('AB');
    await expectProblem(() => multiple('AB-0001'), 'ref-id-conflict');
    // the sequence of AB still owns AB-0001
    const ab = (await t.core.links.list({ q: 'AB' }, { limit: 50 })).data.find((l) => l.refIdBase === 'AB')!;
    expect((await t.core.payments.start(ab.id, {})).payment.refId).toBe('AB-0001');
  });

  it('a payment refId that collides with an existing link base is skipped', async () => {
    // Bases made first, in an order the create check cannot refuse: "AB-0001" exists before "AB".
    await multiple('AB-0001');
    await multiple('AB-0003');
    const ab = await multiple('AB');
    const refIds: string[] = [];
    for (const _ of [1, 2, 3, 4]) refIds.push((await t.core.payments.start(ab.id, {})).payment.refId);
    expect(refIds).toEqual(['AB-0002', 'AB-0004', 'AB-0005', 'AB-0006']);
    expect(new Set(refIds).size).toBe(4);
    // every refId and base stays unique across the table
    const payments = (await t.core.payments.list({}, { limit: 100 })).data;
    const links = (await t.core.links.list({}, { limit: 100 })).data;
    const all = [...payments.map((p) => p.refId), ...links.map((l) => l.refIdBase)];
    expect(all.length).toBe(7);
    expect(new Set(all).size).toBe(all.length);
  });

  it('refIds of a link run out at zzzz with ref-id-exhausted, leaving the link untouched', async () => {
    const link = await multiple('LAST');
    rawDb(t.core).prepare('UPDATE links SET next_ref_seq = ? WHERE id = ?').run(REF_SEQ_MAX, link.id);
    expect((await t.core.payments.start(link.id, {})).payment.refId).toBe('LAST-zzzz');
    const before = await t.core.links.get(link.id);
    await expectProblem(() => t.core.payments.start(link.id, {}), 'ref-id-exhausted');
    const after = await t.core.links.get(link.id);
    expect(after.usage).toEqual(before.usage);
  });
});
