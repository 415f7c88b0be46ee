/**
 * The staff UI's side of issue 8: live/test mode on every request, the Bank QR charge and its
 * "Received", the bank settings checks and error codes, the helpers of the Bank screen.
 */
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../../../../renderer/src/api/client';
import { createModeStore, DEFAULT_MODE, isTestObject, MODE_HEADER, MODE_STORAGE_KEY, parseMode } from '../../../../renderer/src/stores/mode';
import { createChargeStore, isTransferCharge } from '../../../../renderer/src/stores/charge';
import { createFeedStore } from '../../../../renderer/src/stores/feed';
import { problemToFormErrors, translateCode } from '../../../../renderer/src/lib/form-errors';
import { bankQrBlock, bankSettingsOf, checkBankForm, countOf, filterTransferPayments, formatIban, formatReference } from '../../../../renderer/src/lib/bank';
import { formatDay } from '../../../../renderer/src/lib/format';
import { describeEvent, isAlert } from '../../../../renderer/src/lib/describe';
import { en } from '../../../../renderer/src/i18n/en';
import type { EventItem, Link, MerchantSettings, Payment } from '../../../../renderer/src/api/types';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

/** A t() over the English table, with {{vars}} and defaultValue, like i18next's. */
function t(key: string, vars: Record<string, unknown> = {}): string {
  const value = key.split('.').reduce<unknown>((o, part) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[part] : undefined), en);
  if (typeof value !== 'string') return typeof vars.defaultValue === 'string' ? vars.defaultValue : key;
  return value.replace(/\{\{(\w+)\}\}/g, (_, n: string) => String(vars[n] ?? ''));
}

const merchant = (bankTransfer: unknown): MerchantSettings => ({ merchantName: 'Shop', timeZone: 'Europe/Berlin', defaultCurrency: 'EUR', country: 'DE', defaultLocale: 'en', bankTransfer });

const link = (over: Partial<Link> = {}): Link => ({ id: 'pl_1', name: 'Counter charge', amount: '12.50', currency: 'EUR', reuse: 'single', status: 'locked', url: 'http://shop/en/pay-by-link/pl_1', expiresAt: null, reference: null, createdAt: '2026-01-15T10:00:00.000Z', livemode: true, ...over }) as Link;

const transferPayment = (over: Partial<Payment> = {}): Payment =>
  ({
    id: 'pay_1',
    linkId: 'pl_1',
    refId: 'CHG-0001',
    status: 'pending',
    amount: '12.50',
    currency: 'EUR',
    method: 'sepa_transfer',
    livemode: true,
    bankTransfer: { creditorReference: 'RF18539007547034', accountHolder: 'Shop GmbH', iban: 'DE89370400440532013000', bic: null, amountReceived: '0.00', overpaidAmount: '0.00', source: null, credits: [], reversed: false },
    ...over,
  }) as Payment;

describe('live and test mode', () => {
  it('starts in test mode, remembers the choice, ignores nonsense', () => {
    const storage = memoryStorage();
    const store = createModeStore(storage);
    expect(store.getState().mode).toBe(DEFAULT_MODE);
    expect(DEFAULT_MODE).toBe('test');
    store.getState().setMode('live');
    expect(storage.data.get(MODE_STORAGE_KEY)).toBe('live');
    expect(createModeStore(storage).getState().mode).toBe('live');
    store.getState().setMode('prod' as never);
    expect(store.getState().mode).toBe('live');
    expect(createModeStore(memoryStorage({ [MODE_STORAGE_KEY]: 'garbage' })).getState().mode).toBe('test');
    expect(parseMode('test')).toBe('test');
    expect(parseMode('LIVE')).toBeNull();
  });

  it('sends Counterlink-Mode on every request: JSON, raw bodies, blobs and the event stream', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const fetchImpl = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), headers: init?.headers as Record<string, string> });
      return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    let mode: 'live' | 'test' = 'test';
    const api = new ApiClient({ baseUrl: '', fetchImpl: fetchImpl as typeof fetch, mode: () => mode });
    await api.get('/api/v1/links');
    mode = 'live';
    await api.post('/api/v1/charges', { amount: '1' });
    await api.postRaw('/api/v1/bank-statements', '<Document/>', 'application/xml');
    await api.blob('/api/v1/payments/pay_1/epc-qr');
    expect(seen.map((s) => s.headers[MODE_HEADER])).toEqual(['test', 'live', 'live', 'live']);
    expect(seen[2]!.headers['Content-Type']).toBe('application/xml');
    expect(seen[0]!.headers['X-Counterlink-CSRF']).toBe('1');

    // The feed's stream: the header, and ?mode= as well.
    const feed = createFeedStore({ api, streamOptions: { sleep: () => new Promise(() => {}) } });
    await feed.getState().start();
    await vi.waitFor(() => expect(seen.some((s) => s.url.startsWith('/api/v1/events?after=0&mode=live'))).toBe(true));
    feed.getState().stop();
  });

  it('a feed reset forgets the other mode’s events', () => {
    const feed = createFeedStore({ api: { get: vi.fn(), fetch: vi.fn() } as never });
    const ev: EventItem = { id: 7, type: 'payment.succeeded', createdAt: '2026-01-15T10:00:00.000Z', data: { id: 'pay_1' }, livemode: false };
    feed.getState().ingest([ev], true);
    expect(feed.getState()).toMatchObject({ lastId: 7, unread: 1 });
    feed.getState().reset();
    expect(feed.getState()).toMatchObject({ events: [], lastId: 0, unread: 0, status: 'stopped' });
  });

  it('marks only objects that say livemode: false', () => {
    expect(isTestObject({ livemode: false })).toBe(true);
    expect(isTestObject({ livemode: true })).toBe(false);
    expect(isTestObject({ livemode: null })).toBe(false);
    expect(isTestObject({})).toBe(false);
  });
});

describe('Bank QR charge', () => {
  function api(answer: unknown) {
    const calls: { path: string; body: unknown }[] = [];
    return {
      calls,
      api: {
        post: vi.fn(async (path: string, body?: unknown) => {
          calls.push({ path, body });
          if (path === '/api/v1/charges') return answer as never;
          if (path.endsWith('/confirm-transfer')) return transferPayment({ status: 'succeeded', bankTransfer: { ...transferPayment().bankTransfer!, source: 'staff', amountReceived: '12.50' } }) as never;
          return link({ status: 'cancelled' }) as never;
        }),
      },
    };
  }

  it('asks for method sepa_transfer and goes straight to the transfer (the EPC QR is on the display)', async () => {
    const { api: fake, calls } = api({ ...link(), payment: transferPayment() });
    const store = createChargeStore({ api: fake, storage: memoryStorage() });
    const s = () => store.getState();
    for (const k of ['1', '2', '5', '0'] as const) s().press(k);
    await s().submit('pos_1', 'sepa_transfer');
    expect(calls[0]).toMatchObject({ path: '/api/v1/charges', body: { amount: '12.50', currency: 'EUR', pointOfSaleId: 'pos_1', method: 'sepa_transfer' } });
    expect(s().phase).toBe('paying');
    expect(isTransferCharge(s())).toBe(true);
    expect(s().link).not.toHaveProperty('payment');
    expect(s().recent[0]).toMatchObject({ linkId: 'pl_1', method: 'sepa_transfer', livemode: true, outcome: 'paying' });

    expect(await s().confirmTransfer()).toBe(true);
    expect(calls[1]).toMatchObject({ path: '/api/v1/payments/pay_1/confirm-transfer', body: {} });
    expect(s().phase).toBe('paid');
    expect(s().payment?.bankTransfer?.source).toBe('staff');
    expect(s().recent[0]!.outcome).toBe('paid');
  });

  it('a normal charge sends no method and waits for a scan', async () => {
    const { api: fake, calls } = api(link({ status: 'enabled' }));
    const store = createChargeStore({ api: fake });
    store.getState().press('5');
    await store.getState().submit('pos_1');
    expect(calls[0]!.body).not.toHaveProperty('method');
    expect(store.getState().phase).toBe('waiting');
    expect(isTransferCharge(store.getState())).toBe(false);
    expect(await store.getState().confirmTransfer()).toBe(false);
  });

  it('keeps the charge on screen when "Received" is refused', async () => {
    const fake = {
      post: vi.fn(async (path: string) => {
        if (path === '/api/v1/charges') return { ...link(), payment: transferPayment() } as never;
        throw new ApiError(409, { type: 'payment-not-pending', title: 'Conflict', status: 409, detail: 'The payment is not pending.' });
      }),
    };
    const store = createChargeStore({ api: fake });
    store.getState().press('5');
    await store.getState().submit('pos_1', 'sepa_transfer');
    expect(await store.getState().confirmTransfer()).toBe(false);
    expect(store.getState()).toMatchObject({ phase: 'paying', error: en.problems['payment-not-pending'] });
  });

  it('is offered for EUR once holder and IBAN are set, or as the method list says', () => {
    expect(bankQrBlock('CHF', merchant({ accountHolder: 'A', iban: 'DE89370400440532013000' }), null)).toBe('currency');
    expect(bankQrBlock('EUR', merchant(undefined), null)).toBe('not-configured');
    expect(bankQrBlock('EUR', merchant({ accountHolder: 'A', iban: 'DE89370400440532013000', bic: null, holdDays: 7 }), null)).toBeNull();
    expect(bankQrBlock('EUR', merchant(undefined), [{ id: 'sepa_transfer', livemode: true, available: true, reason: null }])).toBeNull();
    expect(bankQrBlock('EUR', merchant(undefined), [{ id: 'sepa_transfer', livemode: true, available: false, reason: 'not-configured' }])).toBe('not-configured');
    expect(bankQrBlock('eur', merchant(undefined), [{ id: 'sepa_transfer', livemode: true, available: false, reason: 'offline' }])).toBe('unavailable');
  });
});

describe('bank settings', () => {
  const ok = { accountHolder: 'Bakery Bloom GmbH', iban: 'de89 3704 0044 0532 0130 00', bic: '', holdDays: '7' };

  it('checks like the server: country, length, mod-97; BIC optional; hold days 1-30', () => {
    expect(checkBankForm(ok)).toEqual({});
    expect(checkBankForm({ ...ok, iban: 'DE89370400440532013001' }).iban).toMatchObject({ code: 'iban-checksum' });
    expect(checkBankForm({ ...ok, iban: 'DE8937040044053201300' }).iban).toEqual({ code: 'iban-length', params: { country: 'DE', actual: 21, length: 22 } });
    expect(checkBankForm({ ...ok, iban: 'XX89370400440532013000' }).iban).toMatchObject({ code: 'iban-country-unknown' });
    expect(checkBankForm({ ...ok, iban: '' }).iban).toEqual({ code: 'required' });
    expect(checkBankForm({ ...ok, accountHolder: 'x'.repeat(71) }).accountHolder).toMatchObject({ code: 'holder-too-long' });
    expect(checkBankForm({ ...ok, bic: 'COBADEFF' })).toEqual({});
    expect(checkBankForm({ ...ok, bic: 'COBADE' }).bic).toMatchObject({ code: 'bic-length' });
    expect(checkBankForm({ ...ok, holdDays: '0' }).holdDays).toMatchObject({ code: 'hold-days' });
    expect(checkBankForm({ ...ok, holdDays: '31' }).holdDays).toMatchObject({ code: 'hold-days' });
    expect(checkBankForm({ ...ok, holdDays: '2.5' }).holdDays).toMatchObject({ code: 'hold-days' });
    // Every code the form can produce has words in the UI.
    for (const code of ['required', 'holder-too-long', 'iban-format', 'iban-country-unknown', 'iban-length', 'iban-checksum', 'bic-length', 'bic-format', 'hold-days']) {
      expect(t(`bankSettings.check.${code}`), code).not.toBe(`bankSettings.check.${code}`);
    }
  });

  it('shows IBANs and references in groups of four', () => {
    expect(formatIban('de89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(formatReference('rf18 5390 0754 7034')).toBe('RF18 5390 0754 7034');
  });

  it('reads the section with its defaults', () => {
    expect(bankSettingsOf(merchant(undefined))).toEqual({ accountHolder: null, iban: null, bic: null, holdDays: 7 });
    expect(bankSettingsOf(merchant({ accountHolder: 'A', iban: 'DE89370400440532013000', bic: '', holdDays: 3 }))).toEqual({ accountHolder: 'A', iban: 'DE89370400440532013000', bic: null, holdDays: 3 });
  });

  it('puts the server’s field errors (bankTransfer.*) beside the fields, translated by code', () => {
    const errors = problemToFormErrors(
      {
        type: 'validation-error',
        title: 'Invalid',
        status: 422,
        detail: '',
        errors: [
          { path: 'bankTransfer.iban', message: 'The check digits do not match', code: 'iban-checksum' },
          { path: 'bankTransfer.accountHolder', message: 'must NOT have more than 70 characters' },
          { path: 'bankTransfer.bic', message: 'Something new', code: 'bic-unheard-of' },
          { path: 'bankTransfer', message: 'holder and IBAN go together' },
        ],
      },
      ['accountHolder', 'iban', 'bic', 'holdDays'],
      { 'bankTransfer.accountHolder': 'accountHolder', 'bankTransfer.iban': 'iban', 'bankTransfer.bic': 'bic', 'bankTransfer.holdDays': 'holdDays' },
      t,
    );
    expect(errors.fields).toEqual({
      iban: [en.errorCodes['iban-checksum']],
      accountHolder: ['At most 70 characters.'],
      bic: ['Something new'],
    });
    expect(errors.general).toEqual(['bankTransfer: holder and IBAN go together']);
    expect(translateCode('iban-length', undefined, t)).toBe(en.errorCodes['iban-length']);
    expect(translateCode('nope', undefined, t)).toBeUndefined();
    expect(translateCode('../../../x', undefined, t)).toBeUndefined();
  });
});

describe('Bank screen helpers', () => {
  it('finds pending transfer payments by refId or creditor reference, spaces and case ignored', () => {
    const list = [
      transferPayment({ id: 'a', refId: 'CHG-0001' }),
      transferPayment({ id: 'b', refId: 'INV-77-0002', bankTransfer: { ...transferPayment().bankTransfer!, creditorReference: 'RF4712345' } }),
      transferPayment({ id: 'c', refId: 'CHG-0003', status: 'succeeded' }),
      { ...transferPayment({ id: 'd', refId: 'SIM-0001' }), method: 'simulator' } as Payment,
    ];
    expect(filterTransferPayments(list, '').map((p) => p.id)).toEqual(['a', 'b']);
    expect(filterTransferPayments(list, 'inv-77').map((p) => p.id)).toEqual(['b']);
    expect(filterTransferPayments(list, 'rf47 123').map((p) => p.id)).toEqual(['b']);
    expect(filterTransferPayments(list, 'nothing')).toEqual([]);
  });

  it('counts whether the server sends numbers or lists', () => {
    expect(countOf(3)).toBe(3);
    expect(countOf([1, 2])).toBe(2);
    expect(countOf(undefined)).toBe(0);
  });

  it('formats a booking day as that day, in any time zone', () => {
    expect(formatDay('2026-01-15', 'en-US')).toBe('Jan 15, 2026');
    expect(formatDay('2026-01-15', 'de')).toBe('15. Jan. 2026');
    expect(formatDay(null, 'en')).toBe('');
  });

  it('describes the bank events in the feed, reversals and unmatched money as alerts', () => {
    const tf = t as never;
    const imported = describeEvent({ id: 1, type: 'bank_statement.imported', createdAt: '', data: { kind: 'camt.053', matched: [{}], unmatched: [{}, {}] } }, tf, 'en');
    expect(imported).toMatchObject({ title: 'Bank statement imported', detail: 'camt.053 · Matched: 1, Unmatched: 2', to: '/bank' });
    const unmatched = describeEvent({ id: 2, type: 'bank_credit.unmatched', createdAt: '', data: { amount: '5.00', debtorName: 'Max', reason: 'no-reference' } }, tf, 'en');
    expect(unmatched).toMatchObject({ detail: '€5.00 · Max · No reference', to: '/bank', tone: 'amber' });
    const reversed = describeEvent({ id: 3, type: 'payment.transfer_reversed', createdAt: '', data: transferPayment() }, tf, 'en');
    expect(reversed).toMatchObject({ title: 'Bank transfer reversed', tone: 'red', to: '/payments/pay_1' });
    expect(isAlert({ type: 'payment.transfer_reversed' })).toBe(true);
    expect(isAlert({ type: 'bank_credit.unmatched' })).toBe(true);
  });
});

describe('charge restore across modes', () => {
  it('leaves a charge of the other mode on the display alone', () => {
    const store = createChargeStore({ api: { post: vi.fn() } });
    const view = { pointOfSaleId: 'pos_1', mode: 'link' as const, linkId: 'pl_1', paymentId: null, link: link({ livemode: false, status: 'enabled' }), payment: null, updatedAt: '' };
    store.getState().restore(view, 'live');
    expect(store.getState().phase).toBe('entry');
    store.getState().restore(view, 'test');
    expect(store.getState().phase).toBe('waiting');
  });
});
