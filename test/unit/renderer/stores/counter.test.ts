/**
 * The counter's stores and helpers beyond the basics (renderer-stores.test.ts): "new charge"
 * while one is live, the recent charges beside the keypad, today's takings, the sound default,
 * the theme, and the link form's own checks.
 */
import { describe, expect, it, vi } from 'vitest';
import { createChargeStore, nextOutcome, RECENT_CAP } from '../../../../renderer/src/stores/charge';
import { createFeedStore } from '../../../../renderer/src/stores/feed';
import { ApiError } from '../../../../renderer/src/api/client';
import { fetchToday, startOfToday, summarizePayments, TODAY_MAX_PAGES } from '../../../../renderer/src/lib/today';
import { parseThemeChoice, resolveTheme } from '../../../../renderer/src/lib/theme';
import { emptyLinkForm, validateLinkForm, type LinkFormValues } from '../../../../renderer/src/lib/link-form';
import { humanizeMessage } from '../../../../renderer/src/lib/form-errors';
import { en } from '../../../../renderer/src/i18n/en';
import { de } from '../../../../renderer/src/i18n/de';
import type { EventItem, Link, Payment } from '../../../../renderer/src/api/types';

const link = (over: Partial<Link> = {}): Link =>
  ({
    id: 'pl_1',
    name: 'Counter charge',
    status: 'enabled',
    amount: '12.50',
    currency: 'EUR',
    reuse: 'single',
    reference: null,
    url: 'http://shop/en/pay-by-link/pl_1',
    expiresAt: '2026-01-15T10:15:00.000Z',
    createdAt: '2026-01-15T10:00:00.000Z',
    ...over,
  }) as Link;
const payment = (status: Payment['status'], over: Partial<Payment> = {}): Payment =>
  ({ id: 'pay_1', linkId: 'pl_1', refId: 'R-0001', status, amount: '12.50', refundedAmount: '0.00', currency: 'EUR', method: 'simulator', ...over }) as Payment;
let nextId = 1;
const ev = (type: EventItem['type'], data: unknown): EventItem => ({ id: nextId++, type, createdAt: '2026-01-15T10:00:00.000Z', data });

function memoryStorage() {
  const map = new Map<string, string>();
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

function chargeApi(options: { cancelFails?: boolean } = {}) {
  let n = 0;
  const calls: string[] = [];
  return {
    calls,
    post: vi.fn(async (path: string) => {
      calls.push(path);
      if (path === '/api/v1/charges') {
        n++;
        return link({ id: `pl_${n}`, amount: `${n}.00`, url: `http://shop/pl_${n}` }) as never;
      }
      if (options.cancelFails) throw new ApiError(409, { type: 'link-not-usable', title: 'The link cannot be used', status: 409, detail: 'It is paid.' });
      return link({ status: 'cancelled' }) as never;
    }),
  };
}

describe('"New charge" while a charge is live', () => {
  it('cancels the live charge through the API before the keypad comes back', async () => {
    const api = chargeApi();
    const store = createChargeStore({ api });
    store.getState().press('5');
    await store.getState().submit('pos_1');
    expect(store.getState().phase).toBe('waiting');
    expect(await store.getState().replace()).toBe(true);
    expect(api.calls).toEqual(['/api/v1/charges', '/api/v1/links/pl_1/cancel']);
    expect(store.getState()).toMatchObject({ phase: 'entry', digits: '', link: null });
    expect(store.getState().recent[0]).toMatchObject({ linkId: 'pl_1', outcome: 'cancelled' });
  });

  it('keeps the charge on screen when the server refuses (the customer just paid)', async () => {
    const api = chargeApi({ cancelFails: true });
    const store = createChargeStore({ api });
    store.getState().press('5');
    await store.getState().submit('pos_1');
    store.getState().handleEvents([ev('payment.created', payment('pending', { linkId: 'pl_1' }))]);
    expect(await store.getState().replace()).toBe(false);
    expect(store.getState()).toMatchObject({ phase: 'paying', error: en.problems['link-not-usable'] }); // by its type, in the UI's language
    expect(store.getState().link?.id).toBe('pl_1');
  });

  it('needs no cancel once the charge is over', async () => {
    const api = chargeApi();
    const store = createChargeStore({ api });
    store.getState().press('5');
    await store.getState().submit('pos_1');
    store.getState().handleEvents([ev('payment.succeeded', payment('succeeded', { linkId: 'pl_1' }))]);
    expect(await store.getState().replace()).toBe(true);
    expect(api.calls).toEqual(['/api/v1/charges']);
    expect(store.getState().phase).toBe('entry');
  });
});

describe('recent charges of the counter', () => {
  it('lists each charge made here, newest first, with how it ended, and keeps them across reloads', async () => {
    const storage = memoryStorage();
    const store = createChargeStore({ api: chargeApi(), storage });
    const s = () => store.getState();
    s().press('1');
    await s().submit('pos_1');
    s().handleEvents([ev('payment.created', payment('pending', { linkId: 'pl_1' }))]);
    expect(s().recent.map((r) => [r.linkId, r.outcome])).toEqual([['pl_1', 'paying']]);
    s().handleEvents([ev('payment.succeeded', payment('succeeded', { linkId: 'pl_1' }))]);
    s().reset();
    s().press('2');
    await s().submit('pos_2');
    expect(s().recent.map((r) => [r.linkId, r.pointOfSaleId, r.outcome])).toEqual([
      ['pl_2', 'pos_2', 'waiting'],
      ['pl_1', 'pos_1', 'paid'],
    ]);
    // An old charge expiring later (the keypad shows another one by then) still updates.
    s().reset();
    s().noteEvents([ev('link.expired', link({ id: 'pl_2', status: 'expired' }))]);
    expect(s().recent[0]!.outcome).toBe('expired');

    const reloaded = createChargeStore({ api: chargeApi(), storage });
    expect(reloaded.getState().recent.map((r) => [r.linkId, r.outcome])).toEqual([
      ['pl_2', 'expired'],
      ['pl_1', 'paid'],
    ]);
    // Damaged storage is no reason to fail.
    storage.setItem('counterlink.recentCharges', '{not json');
    expect(createChargeStore({ api: chargeApi(), storage }).getState().recent).toEqual([]);
  });

  it(`keeps at most ${RECENT_CAP}`, async () => {
    const store = createChargeStore({ api: chargeApi() });
    for (let i = 0; i < RECENT_CAP + 5; i++) {
      store.getState().press('1');
      await store.getState().submit('pos_1');
      store.getState().reset();
    }
    expect(store.getState().recent).toHaveLength(RECENT_CAP);
    expect(store.getState().recent[0]!.linkId).toBe(`pl_${RECENT_CAP + 5}`);
  });

  it('outcomes: paid is final; a failed try can be retried; other links change nothing', () => {
    expect(nextOutcome('waiting', 'pl_1', ev('payment.created', payment('pending')))).toBe('paying');
    expect(nextOutcome('paying', 'pl_1', ev('payment.failed', payment('failed')))).toBe('failed');
    expect(nextOutcome('failed', 'pl_1', ev('payment.abandoned', payment('abandoned')))).toBe('waiting');
    expect(nextOutcome('waiting', 'pl_1', ev('payment.succeeded', payment('succeeded')))).toBe('paid');
    expect(nextOutcome('paid', 'pl_1', ev('link.cancelled', link({ status: 'cancelled' })))).toBe('paid');
    expect(nextOutcome('cancelled', 'pl_1', ev('payment.created', payment('pending')))).toBe('cancelled');
    expect(nextOutcome('waiting', 'pl_1', ev('link.expired', link({ status: 'expired' })))).toBe('expired');
    expect(nextOutcome('waiting', 'pl_1', ev('payment.succeeded', payment('succeeded', { linkId: 'pl_9' })))).toBe('waiting');
    expect(nextOutcome('waiting', 'pl_1', ev('link.cancelled', link({ id: 'pl_9' })))).toBe('waiting');
  });
});

describe('today’s takings', () => {
  it('counts payments received, nets refunds, splits by method and currency, in minor units', () => {
    const s = summarizePayments([
      payment('succeeded', { amount: '12.50' }),
      payment('partially_refunded', { amount: '20.00', refundedAmount: '2.50', method: 'sepa_transfer' }),
      payment('refunded', { amount: '5.00', refundedAmount: '5.00' }),
      payment('failed', { amount: '99.00' }),
      payment('pending', { amount: '99.00' }),
      payment('succeeded', { amount: '0.10' }),
      payment('succeeded', { amount: '0.20' }),
      payment('succeeded', { amount: '1000', currency: 'JPY' }),
    ]);
    expect(s.count).toBe(6);
    expect(s.totals).toEqual([
      { currency: 'EUR', amount: '30.30' },
      { currency: 'JPY', amount: '1000' },
    ]);
    expect(s.byMethod).toEqual([
      { method: 'simulator', count: 5, totals: [{ currency: 'EUR', amount: '12.80' }, { currency: 'JPY', amount: '1000' }] },
      { method: 'sepa_transfer', count: 1, totals: [{ currency: 'EUR', amount: '17.50' }] },
    ]);
    expect(s.truncated).toBe(false);
    expect(summarizePayments([])).toEqual({ count: 0, totals: [], byMethod: [], truncated: false });
  });

  it('fetches every page since local midnight, and says when it stopped early', async () => {
    const now = new Date(2026, 0, 15, 14, 30);
    const get = vi.fn(async (_path: string, query?: Record<string, unknown>) => {
      expect(query).toMatchObject({ createdAfter: startOfToday(now), limit: 200 });
      return { data: [payment('succeeded', { amount: '1.00' })], nextCursor: query?.cursor === 'c2' ? null : query?.cursor ? 'c2' : 'c1' } as never;
    });
    const s = await fetchToday({ get } as never, now);
    expect(get).toHaveBeenCalledTimes(3);
    expect(s).toMatchObject({ count: 3, totals: [{ currency: 'EUR', amount: '3.00' }], truncated: false });
    expect(startOfToday(now)).toBe(new Date(2026, 0, 15).toISOString());

    const endless = vi.fn(async () => ({ data: [payment('succeeded')], nextCursor: 'more' }) as never);
    const capped = await fetchToday({ get: endless } as never, now);
    expect(endless).toHaveBeenCalledTimes(TODAY_MAX_PAGES);
    expect(capped.truncated).toBe(true);
  });
});

describe('the payment chime', () => {
  it('is on unless staff muted it', () => {
    const api = { get: vi.fn(), fetch: vi.fn() } as never;
    expect(createFeedStore({ api }).getState().sound).toBe(true);
    const storage = memoryStorage();
    expect(createFeedStore({ api, storage }).getState().sound).toBe(true);
    storage.setItem('counterlink.sound', 'off');
    expect(createFeedStore({ api, storage }).getState().sound).toBe(false);
    storage.setItem('counterlink.sound', 'on');
    expect(createFeedStore({ api, storage }).getState().sound).toBe(true);
  });
});

describe('theme', () => {
  it('follows the device unless a choice was made', () => {
    expect(parseThemeChoice(null)).toBe('system');
    expect(parseThemeChoice('purple')).toBe('system');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

/** i18next-style interpolation over the real resources. */
function translator(resources: object) {
  return (key: string, vars: Record<string, unknown> = {}) => {
    const text = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], resources) as string;
    return text.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v]));
  };
}

describe('link form: every mistake the form can see, at once', () => {
  const t = translator(en);
  const now = new Date(2026, 0, 15, 12, 0);
  const form = (patch: Partial<LinkFormValues>): LinkFormValues => ({ ...emptyLinkForm({ currency: 'EUR', locale: 'en', pointOfSaleId: 'pos_1' }), ...patch });

  it('names each field with its message', () => {
    const errors = validateLinkForm(
      form({ reuse: 'multiple', amount: '1.005', maxUses: '0', expiryMode: 'day', expiresOn: '2026-01-14', country: 'DEU', refIdBase: 'has space' }),
      t,
      { now },
    );
    expect(errors).toEqual({
      name: ['Required.'],
      amount: ['EUR allows at most 2 decimals'],
      maxUses: ['Must be at least 1.'],
      expiry: ['Must lie in the future.'],
      country: ['Two letters, e.g. DE.'],
      refIdBase: ['Up to 13 letters, digits or hyphens.'],
    });
  });

  it('in German too', () => {
    const errors = validateLinkForm(form({ amount: '', expiryMode: 'at', expiresAt: '2026-01-15T11:00' }), translator(de), { now });
    expect(errors).toEqual({ name: ['Pflichtfeld.'], amount: ['Pflichtfeld.'], expiry: ['Muss in der Zukunft liegen.'] });
  });

  it('accepts what the server accepts', () => {
    expect(validateLinkForm(form({ name: 'Cake', amount: '12,50' }), t, { now })).toEqual({});
    expect(validateLinkForm(form({ name: 'Tips', amountMode: 'open', minAmount: '', reuse: 'multiple', maxUses: '' }), t, { now })).toEqual({});
    expect(validateLinkForm(form({ name: 'Yen', amount: '1000', currency: 'JPY' }), t, { now })).toEqual({});
    expect(validateLinkForm(form({ name: 'Yen', amount: '10.5', currency: 'JPY' }), t, { now })).toEqual({ amount: ['JPY allows at most 0 decimals'] });
    expect(validateLinkForm(form({ name: 'Today', amount: '1', expiryMode: 'day', expiresOn: '2026-01-15' }), t, { now })).toEqual({});
    expect(validateLinkForm(form({ name: 'Zero', amount: '0.00' }), t, { now })).toEqual({ amount: ['Not a valid amount, e.g. 12.50.'] });
    expect(validateLinkForm(form({ name: 'x'.repeat(121), amount: '1' }), t, { now })).toEqual({ name: ['At most 120 characters.'] });
  });

  it('editing: an expiry left as it was is not checked (the link may have expired)', () => {
    const original = link({ expiresAt: new Date(2026, 0, 1, 10, 0).toISOString() });
    const values = form({ name: 'Old', amount: '12.50', expiryMode: 'at', expiresAt: '2026-01-01T10:00' });
    expect(validateLinkForm(values, t, { now, original })).toEqual({});
    expect(validateLinkForm(values, t, { now })).toEqual({ expiry: ['Must lie in the future.'] });
  });

  it('the server’s own words for the same mistakes are translated', () => {
    const tde = translator(de);
    expect(humanizeMessage('EUR allows at most 2 decimals', tde)).toBe('EUR erlaubt höchstens 2 Nachkommastellen.');
    expect(humanizeMessage('must lie in the future', tde)).toBe('Muss in der Zukunft liegen.');
    expect(humanizeMessage('must be a positive decimal amount with at most 2 decimals (got "x")', tde)).toBe('Kein gültiger Betrag, z. B. 12,50.');
    expect(humanizeMessage('must lie in the future')).toBe('must lie in the future');
  });
});
