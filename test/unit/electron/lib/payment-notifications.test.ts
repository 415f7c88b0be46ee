import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventView } from '../../../../core/events';
import {
  batchNotices,
  formatAmount,
  noticeForEvent,
  PaymentNotifier,
  type EventSource,
  type PaymentNotice,
} from '../../../../electron/lib/payment-notifications';
import { makeCore, type TestCore } from '../../../support/core';

const prefs = { enabled: true, sound: true };

/** The notifier reads the log asynchronously after each append: let that read finish. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function succeeded(id: number, amount = '12.50', currency = 'EUR', extra: Record<string, unknown> = {}): EventView {
  return {
    id,
    livemode: false,
    type: 'payment.succeeded',
    createdAt: '2026-01-15T10:00:00.000Z',
    data: { id: `pay_${id}`, linkId: 'pl_1', refId: `ORDER-000${id}`, status: 'succeeded', amount, currency, reference: null, ...extra },
  };
}

/** An in-memory event log with the core's read interface. */
class FakeLog implements EventSource {
  events: EventView[] = [];
  private listeners: (() => void)[] = [];
  after(afterId: number, limit: number): EventView[] {
    return this.events.filter((e) => e.id > afterId).slice(0, limit);
  }
  lastId(): number {
    return this.events.at(-1)?.id ?? 0;
  }
  onAppended(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
  append(...events: EventView[]): void {
    this.events.push(...events);
    for (const l of this.listeners) l();
  }
  get listenerCount(): number {
    return this.listeners.length;
  }
}

describe('payment notifications: mapping', () => {
  it('formats money from the decimal string, by the currency’s own digits', () => {
    expect(formatAmount('12.50', 'EUR', 'en-US')).toBe('€12.50');
    expect(formatAmount('1200', 'JPY', 'en-US')).toBe('¥1,200');
    expect(formatAmount('1.250', 'BHD', 'en-US')).toMatch(/^BHD\s?1\.250$/);
    expect(formatAmount('12.50', 'EUR', 'de-DE')).toMatch(/^12,50\s€$/);
    // Exact beyond float precision.
    expect(formatAmount('999999999.99', 'EUR', 'en-US')).toBe('€999,999,999.99');
    expect(formatAmount('12.50', 'XXX-not', 'en-US')).toBe('12.50 XXX-not');
    expect(formatAmount('abc', 'EUR', 'en-US')).toBe('abc EUR');
  });

  it('a successful payment becomes "Payment received" with amount, refId and reference', () => {
    expect(noticeForEvent(succeeded(7, '12.50', 'EUR', { reference: 'Table 4' }), prefs, 'en-US')).toEqual({
      title: 'Payment received',
      body: '€12.50 · ORDER-0007 · Table 4',
      paymentId: 'pay_7',
      silent: false,
    });
    expect(noticeForEvent(succeeded(7), { enabled: true, sound: false }, 'en-US')?.silent).toBe(true);
  });

  it('nothing else is news', () => {
    for (const type of ['payment.created', 'payment.failed', 'payment.abandoned', 'payment.refunded', 'link.consumed'] as const) {
      expect(noticeForEvent({ ...succeeded(1), type }, prefs)).toBeNull();
    }
    expect(noticeForEvent({ ...succeeded(1), data: null }, prefs)).toBeNull();
    expect(noticeForEvent({ ...succeeded(1), data: { id: 'pay_1' } }, prefs)).toBeNull();
  });

  it('a burst becomes one summary', () => {
    const notices: PaymentNotice[] = [1, 2, 3, 4, 5, 6, 7].map((i) => noticeForEvent(succeeded(i, `${i}.00`), prefs, 'en-US')!);
    expect(batchNotices(notices.slice(0, 3), 3)).toHaveLength(3);
    expect(batchNotices(notices, 3)).toEqual([
      { title: '7 payments received', body: '€1.00, €2.00, €3.00, €4.00, €5.00 and 2 more', paymentId: null, silent: false },
    ]);
  });
});

describe('payment notifications: the cursor', () => {
  it('starts at the end of the log, then shows each success once', async () => {
    const log = new FakeLog();
    log.events.push(succeeded(1), succeeded(2));
    const shown: PaymentNotice[] = [];
    const n = new PaymentNotifier({ events: log, show: (x) => shown.push(x), preferences: () => prefs, locale: 'en-US' });
    await n.start();
    expect(n.position).toBe(2);
    log.append({ id: 3, livemode: false, type: 'payment.created', createdAt: '', data: {} }, succeeded(4));
    await settle();
    expect(shown.map((s) => s.paymentId)).toEqual(['pay_4']);
    expect(await n.pump()).toBe(0);
    log.append(succeeded(5));
    await settle();
    expect(shown.map((s) => s.paymentId)).toEqual(['pay_4', 'pay_5']);
    n.stop();
    expect(log.listenerCount).toBe(0);
    log.append(succeeded(6));
    await settle();
    expect(shown).toHaveLength(2);
  });

  it('reads past a page boundary without missing events', async () => {
    const log = new FakeLog();
    const shown: PaymentNotice[] = [];
    const n = new PaymentNotifier({ events: log, show: (x) => shown.push(x), preferences: () => prefs, maxSeparate: 1000 });
    await n.start();
    log.events.push(...Array.from({ length: 450 }, (_, i) => succeeded(i + 1)));
    await n.pump();
    expect(shown).toHaveLength(450);
    expect(n.position).toBe(450);
  });

  it('turned off: the cursor moves on, nothing is shown (and nothing floods in when turned on again)', async () => {
    const log = new FakeLog();
    const shown: PaymentNotice[] = [];
    let enabled = false;
    const n = new PaymentNotifier({ events: log, show: (x) => shown.push(x), preferences: () => ({ enabled, sound: true }) });
    await n.start();
    log.append(succeeded(1));
    await settle();
    expect(shown).toHaveLength(0);
    enabled = true;
    log.append(succeeded(2));
    await settle();
    expect(shown.map((s) => s.paymentId)).toEqual(['pay_2']);
  });

  it('an error while showing is reported, not thrown into the core', async () => {
    const log = new FakeLog();
    const errors: unknown[] = [];
    const n = new PaymentNotifier({
      events: log,
      show: () => {
        throw new Error('no notification daemon');
      },
      preferences: () => prefs,
      onError: (e) => errors.push(e),
    });
    await n.start();
    expect(() => log.append(succeeded(1))).not.toThrow();
    await settle();
    expect(errors).toHaveLength(1);
  });
});

describe('payment notifications: with the real core', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await makeCore();
  });
  afterEach(() => t.core.close());

  it('one notification per successful payment, none for a failed one', async () => {
    const shown: PaymentNotice[] = [];
    const link = await t.core.links.create({ name: 'Coffee', amount: '3.20', reuse: 'multiple', refIdBase: 'CAFE' });
    const n = new PaymentNotifier({ events: t.core.events, show: (x) => shown.push(x), preferences: () => prefs, locale: 'en-US' });
    await n.start();
    const p1 = (await t.core.payments.start(link.id, {})).payment;
    await t.core.payments.complete(p1.id, 'succeeded');
    const p2 = (await t.core.payments.start(link.id, {})).payment;
    await t.core.payments.complete(p2.id, 'failed');
    // The core tells listeners on the next tick, after the transaction committed.
    await new Promise((resolve) => setImmediate(resolve));
    expect(shown).toEqual([{ title: 'Payment received', body: '€3.20 · CAFE-0001', paymentId: p1.id, silent: false }]);
    n.stop();
  });
});
