import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPayable, isTerminal, linkStatus, smallestPayment } from '../../../../core/links/status';
import { LINK_STATUSES, type LinkRecord, type LinkStatus } from '../../../../core/links/types';
import { newId } from '../../../../core/ids';
import { makeCore } from '../../../support/core';

type Facts = Parameters<typeof linkStatus>[0];

const NOW = Date.parse('2026-01-15T10:00:00.000Z');

const base: Facts = {
  cancelledAt: null,
  reuse: 'single',
  usedCount: 0,
  usedAmount: 0,
  pendingCount: 0,
  expiresAt: null,
  enabled: true,
  maxUses: null,
  totalAmountLimit: null,
  amount: 1000,
  minAmount: null,
};

const single = (f: Partial<Facts>): Facts => ({ ...base, ...f, reuse: 'single' });
const multiple = (f: Partial<Facts>): Facts => ({ ...base, ...f, reuse: 'multiple' });

describe('linkStatus precedence', () => {
  const cases: [string, Facts, LinkStatus][] = [
    ['a fresh single-use link', single({}), 'enabled'],
    ['a fresh multiple-use link', multiple({}), 'enabled'],
    // cancelled beats everything
    ['cancelled', single({ cancelledAt: NOW - 1 }), 'cancelled'],
    ['cancelled beats consumed, expired, disabled', single({ cancelledAt: NOW - 1, usedCount: 1, usedAmount: 1000, expiresAt: NOW - 1, enabled: false }), 'cancelled'],
    ['cancelled beats limits and locks', multiple({ cancelledAt: NOW, maxUses: 1, usedCount: 1, totalAmountLimit: 1000, usedAmount: 1000 }), 'cancelled'],
    ['cancelled beats locked', single({ cancelledAt: NOW, pendingCount: 1 }), 'cancelled'],
    // consumed
    ['consumed', single({ usedCount: 1, usedAmount: 1000 }), 'consumed'],
    ['consumed beats expired and disabled', single({ usedCount: 1, usedAmount: 1000, expiresAt: NOW - 1, enabled: false }), 'consumed'],
    ['a multiple-use link with uses is not consumed', multiple({ usedCount: 1, usedAmount: 1000 }), 'enabled'],
    // expired
    ['expired', single({ expiresAt: NOW - 1 }), 'expired'],
    ['expired at exactly now', single({ expiresAt: NOW }), 'expired'],
    ['not yet expired one ms before', single({ expiresAt: NOW + 1 }), 'enabled'],
    ['expired beats disabled', single({ expiresAt: NOW - 1, enabled: false }), 'expired'],
    ['expired beats usage limit', multiple({ expiresAt: NOW - 1, maxUses: 2, usedCount: 2 }), 'expired'],
    ['expired beats locked', single({ expiresAt: NOW - 1, pendingCount: 1 }), 'expired'],
    // disabled
    ['disabled', single({ enabled: false }), 'disabled'],
    ['disabled beats usage limit', multiple({ enabled: false, maxUses: 1, usedCount: 1 }), 'disabled'],
    ['disabled beats amount limit', multiple({ enabled: false, totalAmountLimit: 1000, usedAmount: 1000, usedCount: 1 }), 'disabled'],
    ['disabled beats locked', single({ enabled: false, pendingCount: 1 }), 'disabled'],
    // usage limit
    ['usage limit reached', multiple({ maxUses: 3, usedCount: 3, usedAmount: 3000 }), 'usage_limit_reached'],
    ['usage limit beyond (maxUses lowered)', multiple({ maxUses: 2, usedCount: 3, usedAmount: 3000 }), 'usage_limit_reached'],
    ['usage limit not reached with one use left', multiple({ maxUses: 3, usedCount: 2 }), 'enabled'],
    ['pending payments do not reach the usage limit', multiple({ maxUses: 3, usedCount: 2, pendingCount: 1 }), 'enabled'],
    ['usage limit beats amount limit', multiple({ maxUses: 1, usedCount: 1, totalAmountLimit: 1000, usedAmount: 1000 }), 'usage_limit_reached'],
    ['maxUses is ignored on a single-use link', single({ maxUses: 0 }), 'enabled'],
    // amount limit
    ['amount limit used up', multiple({ totalAmountLimit: 3000, usedAmount: 3000, usedCount: 3 }), 'amount_limit_reached'],
    ['amount limit: less left than the fixed amount', multiple({ amount: 1000, totalAmountLimit: 2500, usedAmount: 2000, usedCount: 2 }), 'amount_limit_reached'],
    ['amount limit: exactly the fixed amount left', multiple({ amount: 1000, totalAmountLimit: 3000, usedAmount: 2000, usedCount: 2 }), 'enabled'],
    ['amount limit: open amount below minAmount left', multiple({ amount: null, minAmount: 500, totalAmountLimit: 1000, usedAmount: 501, usedCount: 1 }), 'amount_limit_reached'],
    ['amount limit: open amount minAmount left', multiple({ amount: null, minAmount: 500, totalAmountLimit: 1000, usedAmount: 500, usedCount: 1 }), 'enabled'],
    ['amount limit: open amount, one minor unit left', multiple({ amount: null, totalAmountLimit: 1000, usedAmount: 999, usedCount: 1 }), 'enabled'],
    ['amount limit: open amount, nothing left', multiple({ amount: null, totalAmountLimit: 1000, usedAmount: 1000, usedCount: 1 }), 'amount_limit_reached'],
    ['totalAmountLimit is ignored on a single-use link', single({ totalAmountLimit: 0 }), 'enabled'],
    // locked
    ['locked', single({ pendingCount: 1 }), 'locked'],
    ['a multiple-use link with pending payments is not locked', multiple({ pendingCount: 5 }), 'enabled'],
  ];

  it.each(cases)('%s', (_name, facts, expected) => {
    expect(linkStatus(facts, NOW)).toBe(expected);
  });

  it('covers every status', () => {
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(LINK_STATUSES));
  });

  it('smallestPayment is the fixed amount, else minAmount, else one minor unit', () => {
    expect(smallestPayment({ amount: 700, minAmount: null })).toBe(700);
    expect(smallestPayment({ amount: null, minAmount: 300 })).toBe(300);
    expect(smallestPayment({ amount: null, minAmount: null })).toBe(1);
  });

  it('terminal and payable statuses', () => {
    expect(LINK_STATUSES.filter(isTerminal).sort()).toEqual(['cancelled', 'consumed', 'expired']);
    expect(LINK_STATUSES.filter(isPayable).sort()).toEqual(['enabled', 'locked']);
  });
});

/** Random stored facts of a link, shaped so the table's CHECK constraints accept them. */
const factsArb = (now: number) =>
  fc
    .record({
      cancelled: fc.boolean(),
      reuse: fc.constantFrom('single' as const, 'multiple' as const),
      singleUse: fc.constantFrom('none', 'used', 'pending'),
      usedCount: fc.integer({ min: 0, max: 6 }),
      pendingCount: fc.integer({ min: 0, max: 3 }),
      usedAmount: fc.integer({ min: 0, max: 3000 }),
      expiry: fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 })),
      enabled: fc.boolean(),
      maxUses: fc.option(fc.integer({ min: 1, max: 6 })),
      totalAmountLimit: fc.option(fc.integer({ min: 1, max: 3000 })),
      amount: fc.option(fc.integer({ min: 1, max: 1500 })),
      minAmount: fc.option(fc.integer({ min: 1, max: 1500 })),
    })
    .map((r) => {
      const isSingle = r.reuse === 'single';
      return {
        cancelledAt: r.cancelled ? now - 1000 : null,
        reuse: r.reuse,
        usedCount: isSingle ? (r.singleUse === 'used' ? 1 : 0) : r.usedCount,
        pendingCount: isSingle ? (r.singleUse === 'pending' ? 1 : 0) : r.pendingCount,
        usedAmount: r.usedAmount,
        // around now, including exactly now
        expiresAt: r.expiry === null ? null : now + r.expiry,
        enabled: r.enabled,
        maxUses: r.maxUses,
        totalAmountLimit: r.totalAmountLimit,
        amount: r.amount,
        minAmount: r.amount === null ? r.minAmount : null,
      } satisfies Facts;
    });

async function insertLink(core: Awaited<ReturnType<typeof makeCore>>['core'], facts: Facts, refIdBase: string): Promise<string> {
  const id = newId('pl');
  const record: Omit<LinkRecord, 'seq' | 'lockedUntil'> = {
    id,
    type: 'payment',
    name: 'Random',
    description: null,
    livemode: false,
    methods: null,
    pointOfSaleId: (await core.store.read((t) => t.pointsOfSale.default()))!.id,
    currency: 'EUR',
    perPaymentLimit: null,
    locale: 'en',
    country: null,
    metadata: {},
    refIdBase,
    reference: null,
    cancellable: true,
    callbackUrl: null,
    lineItems: null,
    expiredNotedAt: null,
    pendingAmount: facts.pendingCount * 10,
    paymentCount: facts.usedCount + facts.pendingCount,
    nextRefSeq: 1,
    createdAt: NOW - 60_000,
    updatedAt: NOW - 60_000,
    ...facts,
  };
  await core.store.tx((t) => t.links.insert(record));
  return id;
}

describe('LINK_STATUS_SQL agrees with linkStatus (property)', () => {
  const scenario = fc
    .integer({ min: 0, max: 5_000 })
    .chain((offset) => fc.tuple(fc.constant(NOW + offset), fc.array(factsArb(NOW + offset), { minLength: 1, maxLength: 20 })));

  it('filtered list membership matches linkStatus() for every status', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ([now, factsList]) => {
        const { core, clock } = await makeCore();
        try {
          clock.set(now);
          const ids: string[] = [];
          for (const [i, facts] of factsList.entries()) ids.push(await insertLink(core, facts, `R${i}`));
          const expected = new Map<string, LinkStatus>();
          for (const [i, id] of ids.entries()) {
            const status = linkStatus(factsList[i]!, now);
            // the row maps back to the same facts
            const record = (await core.store.read((t) => t.links.get(id)))!;
            expect(linkStatus(record, now)).toBe(status);
            // …and the service's status (what the dialog asks) is the view's, at the core's clock
            expect(core.links.status(record)).toBe(status);
            expect(core.links.view(record).status).toBe(status);
            expected.set(id, status);
          }
          for (const status of LINK_STATUSES) {
            const want = ids.filter((id) => expected.get(id) === status).sort();
            const viaStore = (await core.store.read((t) => t.links.list({ now, status }, { limit: 200 }))).data.map((l) => l.id);
            expect(viaStore.sort(), `store filter ${status}`).toEqual(want);
            const viaService = (await core.links.list({ status }, { limit: 200 })).data;
            expect(viaService.map((l) => l.id).sort(), `service filter ${status}`).toEqual(want);
            for (const view of viaService) expect(view.status).toBe(status);
          }
          // without a status filter, everything is listed once
          expect((await core.store.read((t) => t.links.list({ now }, { limit: 200 }))).data).toHaveLength(ids.length);
        } finally {
          await core.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('every status occurs in the generated scenarios (the property is not vacuous)', () => {
    const seen = new Set<LinkStatus>();
    fc.assert(
      fc.property(factsArb(NOW), (facts) => {
        seen.add(linkStatus(facts, NOW));
      }),
      { numRuns: 2_000 },
    );
    expect(seen).toEqual(new Set(LINK_STATUSES));
  });
});
