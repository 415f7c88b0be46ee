/**
 * Model-based test: random sequences of operations run against the real core (in-memory SQLite,
 * ManualClock) and against a tiny plain model of the rules in DESIGN.md / API.md. After every
 * step the two must agree on every link's status and usage and every payment's status, and the
 * money invariants must hold on what the core stored.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../core/errors';
import { formatAmount } from '../../../core/money';
import { paymentRefId } from '../../../core/refid';
import type { LinkStatus } from '../../../core/links/types';
import type { PaymentStatus } from '../../../core/payments/types';
import { makeCore, type TestCore } from '../../support/core';

const TTL = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// The model

interface MLink {
  id: string;
  reuse: 'single' | 'multiple';
  amount: number | null;
  minAmount: number | null;
  perPayment: number | null;
  maxUses: number | null;
  total: number | null;
  expiresAt: number | null;
  cancellable: boolean;
  enabled: boolean;
  cancelled: boolean;
  used: number;
  usedAmount: number;
}

interface MPayment {
  id: string;
  link: MLink;
  amount: number;
  status: PaymentStatus;
  lockExpiresAt: number;
  refunded: number;
}

class Model {
  links: MLink[] = [];
  payments: MPayment[] = [];
  constructor(public now: number) {}

  pending(link: MLink): MPayment[] {
    return this.payments.filter((p) => p.link === link && p.status === 'pending');
  }

  status(l: MLink): LinkStatus {
    if (l.cancelled) return 'cancelled';
    if (l.reuse === 'single' && l.used > 0) return 'consumed';
    if (l.expiresAt !== null && this.now >= l.expiresAt) return 'expired';
    if (!l.enabled) return 'disabled';
    if (l.reuse === 'multiple') {
      if (l.maxUses !== null && l.used >= l.maxUses) return 'usage_limit_reached';
      if (l.total !== null && l.total - l.usedAmount < (l.amount ?? l.minAmount ?? 1)) return 'amount_limit_reached';
    }
    if (l.reuse === 'single' && this.pending(l).length > 0) return 'locked';
    return 'enabled';
  }

  /** What time alone does: pending payments past their lock TTL are abandoned. */
  advance(ms: number): void {
    this.now += ms;
    for (const p of this.payments) if (p.status === 'pending' && p.lockExpiresAt <= this.now) this.end(p, 'abandoned');
  }

  end(p: MPayment, outcome: PaymentStatus): void {
    p.status = outcome;
    if (outcome === 'succeeded') {
      p.link.used += 1;
      p.link.usedAmount += p.amount;
    }
  }

  /** Returns the refusal the rules demand, or the amount the new payment will have. */
  start(l: MLink, given: number): { refusal: string } | { amount: number } {
    const status = this.status(l);
    if (status === 'locked') return { refusal: 'link-locked' };
    if (status !== 'enabled') return { refusal: 'link-not-usable' };
    const amount = l.amount ?? given;
    if (l.minAmount !== null && amount < l.minAmount) return { refusal: 'amount-too-low' };
    if (l.perPayment !== null && amount > l.perPayment) return { refusal: 'per-payment-limit-exceeded' };
    const pending = this.pending(l);
    if (l.maxUses !== null && l.used + pending.length + 1 > l.maxUses) return { refusal: 'usage-limit-reached' };
    const pendingAmount = pending.reduce((s, p) => s + p.amount, 0);
    if (l.total !== null && l.usedAmount + pendingAmount + amount > l.total) return { refusal: 'amount-limit-reached' };
    return { amount };
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

type Op =
  | {
      kind: 'create';
      reuse: 'single' | 'multiple';
      amount: number | null;
      minAmount: number | null;
      perPayment: number | null;
      maxUses: number | null;
      total: number | null;
      expiresInMinutes: number | null;
      cancellable: boolean;
    }
  | { kind: 'start'; link: number; amount: number }
  | { kind: 'complete'; payment: number; outcome: 'succeeded' | 'failed' | 'abandoned' }
  | { kind: 'payerCancel'; payment: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'cancelLink'; link: number }
  | { kind: 'setEnabled'; link: number; enabled: boolean }
  | { kind: 'raiseMaxUses'; link: number; by: number }
  | { kind: 'refund'; payment: number; amount: number | null };

const money = fc.oneof(fc.integer({ min: 1, max: 20 }).map((n) => n * 100), fc.integer({ min: 1, max: 2500 }));

const createOp: fc.Arbitrary<Op> = fc
  .record({
    reuse: fc.constantFrom('single' as const, 'multiple' as const),
    amount: fc.option(money, { freq: 2 }),
    minAmount: fc.option(money, { freq: 3 }),
    perPayment: fc.option(money, { freq: 3 }),
    maxUses: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 3 }),
    total: fc.option(fc.integer({ min: 1, max: 5000 }), { freq: 3 }),
    expiresInMinutes: fc.option(fc.integer({ min: 1, max: 40 }), { freq: 2 }),
    cancellable: fc.boolean(),
  })
  .map((r) => {
    // keep the draft consistent, so creation itself never fails
    const amount = r.amount;
    const minAmount = amount === null ? r.minAmount : null;
    const floor = Math.max(amount ?? 0, minAmount ?? 0);
    const perPayment = r.perPayment === null ? null : Math.max(r.perPayment, floor);
    const multiple = r.reuse === 'multiple';
    return {
      kind: 'create' as const,
      reuse: r.reuse,
      amount,
      minAmount,
      perPayment,
      maxUses: multiple ? r.maxUses : null,
      total: multiple && r.total !== null ? Math.max(r.total, floor) : null,
      expiresInMinutes: r.expiresInMinutes,
      cancellable: r.cancellable,
    };
  });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: createOp, weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('start' as const), link: fc.nat({ max: 3 }), amount: money }), weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant('complete' as const),
      payment: fc.nat({ max: 3 }),
      outcome: fc.constantFrom('succeeded' as const, 'succeeded' as const, 'failed' as const, 'abandoned' as const),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('payerCancel' as const), payment: fc.nat({ max: 3 }) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 60_000, 5 * 60_000, TTL - 1, TTL, 20 * 60_000) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('cancelLink' as const), link: fc.nat({ max: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('setEnabled' as const), link: fc.nat({ max: 3 }), enabled: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('raiseMaxUses' as const), link: fc.nat({ max: 3 }), by: fc.integer({ min: 1, max: 2 }) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('refund' as const), payment: fc.nat({ max: 3 }), amount: fc.option(fc.integer({ min: 1, max: 2500 })) }),
    weight: 2,
  },
);

/** Sequences start with a link and run up to 30 steps. */
const opsArb = fc
  .tuple(createOp, fc.array(opArb, { minLength: 4, maxLength: 19, size: 'max' }))
  .map(([first, rest]) => [first, ...rest]);

const fmt = (minor: number | null) => (minor === null ? undefined : formatAmount(minor, 'EUR'));

/** Runs `fn` against the core: 'ok' or the DomainError slug. Anything else is a crash. */
async function outcome(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.type;
    throw err;
  }
}

async function apply(t: TestCore, m: Model, op: Op): Promise<void> {
  const { core, clock } = t;
  // counted from the newest, so that activity piles up on a few links and payments
  const pick = <T>(list: T[], i: number): T | undefined => (list.length === 0 ? undefined : list[list.length - 1 - (i % list.length)]);
  switch (op.kind) {
    case 'create': {
      const view = await core.links.create({
        name: 'Model link',
        reuse: op.reuse,
        amount: fmt(op.amount),
        minAmount: fmt(op.minAmount),
        perPaymentAmountLimit: fmt(op.perPayment),
        maxUses: op.maxUses ?? undefined,
        totalAmountLimit: fmt(op.total),
        expiresInMinutes: op.expiresInMinutes ?? undefined,
        cancellable: op.cancellable,
      });
      m.links.push({
        id: view.id,
        reuse: op.reuse,
        amount: op.amount,
        minAmount: op.minAmount,
        perPayment: op.perPayment,
        maxUses: op.maxUses,
        total: op.total,
        expiresAt: op.expiresInMinutes === null ? null : m.now + op.expiresInMinutes * 60_000,
        cancellable: op.cancellable,
        enabled: true,
        cancelled: false,
        used: 0,
        usedAmount: 0,
      });
      return;
    }
    case 'start': {
      const l = pick(m.links, op.link);
      if (!l) return;
      const expected = m.start(l, op.amount);
      let id = '';
      const got = await outcome(async () => {
        id = (await core.payments.start(l.id, { amount: fmt(op.amount) })).payment.id;
      });
      if ('refusal' in expected) {
        expect(got, `start on ${m.status(l)} link`).toBe(expected.refusal);
      } else {
        expect(got, `start on ${m.status(l)} link`).toBe('ok');
        m.payments.push({ id, link: l, amount: expected.amount, status: 'pending', lockExpiresAt: m.now + TTL, refunded: 0 });
      }
      return;
    }
    case 'complete': {
      const p = pick(m.payments, op.payment);
      if (!p) return;
      const expected = p.status === 'pending' ? 'ok' : 'payment-not-pending';
      expect(await outcome(() => core.payments.complete(p.id, op.outcome))).toBe(expected);
      if (expected === 'ok') m.end(p, op.outcome);
      return;
    }
    case 'payerCancel': {
      const p = pick(m.payments, op.payment);
      if (!p) return;
      const expected = !p.link.cancellable ? 'not-cancellable' : p.status !== 'pending' ? 'payment-not-pending' : 'ok';
      expect(await outcome(() => core.payments.cancelByPayer(p.link.id, p.id))).toBe(expected);
      if (expected === 'ok') m.end(p, 'cancelled');
      return;
    }
    case 'advance':
      clock.advance(op.ms);
      m.advance(op.ms);
      return;
    case 'cancelLink': {
      const l = pick(m.links, op.link);
      if (!l) return;
      const status = m.status(l);
      const expected = status === 'cancelled' || status === 'enabled' || status === 'disabled' || status === 'locked' ? 'ok' : 'link-not-usable';
      expect(await outcome(() => core.links.cancel(l.id)), `cancel a ${status} link`).toBe(expected);
      if (expected === 'ok' && !l.cancelled) {
        for (const p of m.pending(l)) m.end(p, 'cancelled');
        l.cancelled = true;
      }
      return;
    }
    case 'setEnabled': {
      const l = pick(m.links, op.link);
      if (!l) return;
      const status = m.status(l);
      const terminal = status === 'cancelled' || status === 'consumed' || status === 'expired';
      expect(await outcome(() => core.links.update(l.id, { enabled: op.enabled })), `enabled:${op.enabled} on ${status}`).toBe(
        terminal ? 'link-not-usable' : 'ok',
      );
      if (!terminal) l.enabled = op.enabled;
      return;
    }
    case 'raiseMaxUses': {
      const l = pick(m.links, op.link);
      if (!l || (l.reuse === 'multiple' && l.maxUses === null)) return; // only raise an existing limit
      const status = m.status(l);
      const terminal = status === 'cancelled' || status === 'consumed' || status === 'expired';
      const next = (l.maxUses ?? 0) + op.by;
      const expected = terminal ? 'link-not-usable' : l.reuse === 'single' ? 'validation-error' : 'ok';
      expect(await outcome(() => core.links.update(l.id, { maxUses: next }))).toBe(expected);
      if (expected === 'ok') l.maxUses = next;
      return;
    }
    case 'refund': {
      const p = pick(m.payments, op.payment);
      if (!p) return;
      const left = p.amount - p.refunded;
      const amount = op.amount ?? left;
      const expected =
        p.status !== 'succeeded' && p.status !== 'partially_refunded' ? 'payment-not-refundable' : amount > left ? 'refund-exceeds-remaining' : 'ok';
      expect(await outcome(() => core.payments.refund(p.id, fmt(op.amount)))).toBe(expected);
      if (expected === 'ok') {
        p.refunded += amount;
        p.status = p.refunded === p.amount ? 'refunded' : 'partially_refunded';
      }
      return;
    }
  }
}

const PAID: PaymentStatus[] = ['succeeded', 'partially_refunded', 'refunded'];

async function check(t: TestCore, m: Model): Promise<void> {
  const { core } = t;
  expect(core.clock.now()).toBe(m.now);
  // one read of each list per step (each read applies the timeouts first)
  const allPayments = (await core.payments.list({}, { limit: 200 })).data;
  const links = new Map((await core.links.list({}, { limit: 200 })).data.map((l) => [l.id, l]));
  expect(allPayments).toHaveLength(m.payments.length);
  expect(links.size).toBe(m.links.length);

  for (const l of m.links) {
    const view = links.get(l.id)!;
    const pending = m.pending(l);
    expect(view.status, `status of link ${m.links.indexOf(l)}`).toBe(m.status(l));
    expect(view.usage.count).toBe(l.used);
    expect(view.usage.amount).toBe(formatAmount(l.usedAmount, 'EUR'));
    expect(view.usage.pendingCount).toBe(pending.length);
    expect(view.maxUses).toBe(l.maxUses);
    if (l.maxUses !== null) expect(view.usage.remainingCount).toBe(Math.max(0, l.maxUses - l.used - pending.length));

    // invariants, on what the core stored
    const stored = allPayments.filter((p) => p.linkId === l.id);
    const paid = stored.filter((p) => PAID.includes(p.status));
    const paidMinor = paid.reduce((s, p) => s + Math.round(Number(p.amount) * 100), 0);
    expect(paid.length).toBe(view.usage.count);
    expect(formatAmount(paidMinor, 'EUR')).toBe(view.usage.amount);
    expect(stored.filter((p) => p.status === 'pending').length).toBe(view.usage.pendingCount);
    if (l.reuse === 'single') {
      expect(paid.length).toBeLessThanOrEqual(1);
      expect(view.usage.pendingCount + paid.length).toBeLessThanOrEqual(1);
    }
    if (l.maxUses !== null) expect(paid.length).toBeLessThanOrEqual(l.maxUses);
    if (l.total !== null) expect(paidMinor).toBeLessThanOrEqual(l.total);
    // refIds count up per link with no gaps (no base here is refId-shaped): -0001 … -0009, -000A …
    const refIds = stored.map((p) => p.refId).reverse();
    refIds.forEach((refId, i) => expect(refId).toBe(paymentRefId(view.refIdBase, i + 1)));
  }
  const payments = new Map(allPayments.map((p) => [p.id, p]));
  for (const p of m.payments) {
    const view = payments.get(p.id)!;
    expect(view.status, `status of payment ${m.payments.indexOf(p)}`).toBe(p.status);
    expect(view.amount).toBe(formatAmount(p.amount, 'EUR'));
    expect(view.refundedAmount).toBe(formatAmount(p.refunded, 'EUR'));
  }
}

/** Found by the property: a link's tenth payment is -000A (base62), not -0010. */
const TEN_PAYMENTS: Op[] = [
  { kind: 'create', reuse: 'multiple', amount: 100, minAmount: null, perPayment: null, maxUses: null, total: null, expiresInMinutes: null, cancellable: false },
  ...Array.from({ length: 9 }, (): Op => ({ kind: 'start', link: 0, amount: 100 })),
  { kind: 'refund', payment: 0, amount: null },
  { kind: 'complete', payment: 0, outcome: 'succeeded' },
  { kind: 'start', link: 0, amount: 1 },
];

describe('the core behaves like the model of the rules (property)', () => {
  it('random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const t = await makeCore({ lockTtlMs: TTL });
        try {
          const m = new Model(t.clock.now());
          for (const op of ops) {
            await apply(t, m, op);
            await check(t, m);
          }
          // event ids only grow, and every event is well formed
          const events = await t.core.events.after(0, 100_000);
          events.forEach((e, i) => {
            if (i > 0) expect(e.id).toBeGreaterThan(events[i - 1]!.id);
          });
        } finally {
          await t.core.close();
        }
      }),
      // Always also run a sequence that once failed: ten payments on one link (refId -000A).
      { numRuns: 100, examples: [[TEN_PAYMENTS]] },
    );
  });

  it('the generated sequences reach the interesting states (the property is not vacuous)', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const t = await makeCore({ lockTtlMs: TTL });
        try {
          const m = new Model(t.clock.now());
          for (const op of ops) {
            await apply(t, m, op);
            for (const l of m.links) seen.add(m.status(l));
            for (const p of m.payments) seen.add(`payment:${p.status}`);
          }
        } finally {
          await t.core.close();
        }
      }),
      { numRuns: 100, seed: 42 },
    );
    for (const s of ['enabled', 'disabled', 'locked', 'consumed', 'expired', 'cancelled', 'usage_limit_reached', 'amount_limit_reached']) {
      expect(seen, s).toContain(s);
    }
    for (const s of ['pending', 'succeeded', 'failed', 'abandoned', 'cancelled', 'partially_refunded', 'refunded']) {
      expect(seen, s).toContain(`payment:${s}`);
    }
  });
});
