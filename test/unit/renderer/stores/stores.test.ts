import { describe, expect, it, vi } from 'vitest';
import { createChargeStore } from '../../../../renderer/src/stores/charge';
import { createFeedStore } from '../../../../renderer/src/stores/feed';
import { createListStore } from '../../../../renderer/src/stores/list';
import { createSessionStore } from '../../../../renderer/src/stores/session';
import { ApiClient, ApiError } from '../../../../renderer/src/api/client';
import type { DisplayView, EventItem, Link, Page, Payment } from '../../../../renderer/src/api/types';

const link = (over: Partial<Link> = {}): Link =>
  ({
    id: 'pl_1',
    type: 'payment',
    name: 'Counter charge',
    status: 'enabled',
    amount: '12.50',
    currency: 'EUR',
    reuse: 'single',
    url: 'http://shop/en/pay-by-link/pl_1',
    expiresAt: '2026-01-15T10:15:00.000Z',
    ...over,
  }) as Link;
const payment = (status: Payment['status'], over: Partial<Payment> = {}): Payment => ({ id: 'pay_1', linkId: 'pl_1', refId: 'R-0001', status, amount: '12.50', currency: 'EUR', ...over }) as Payment;
let nextId = 1;
const ev = (type: EventItem['type'], data: unknown, id = nextId++): EventItem => ({ id, type, createdAt: '2026-01-15T10:00:00.000Z', data });

function fakeChargeApi() {
  const calls: { path: string; body: unknown; opts: unknown }[] = [];
  return {
    calls,
    api: {
      post: vi.fn(async (path: string, body?: unknown, opts?: unknown) => {
        calls.push({ path, body, opts });
        if (path === '/api/v1/charges') return link() as never;
        return link({ status: 'cancelled' }) as never;
      }),
    },
  };
}

describe('charge store', () => {
  it('keys in an amount, creates the charge with the point of sale and its currency, follows the payment to paid', async () => {
    const { api, calls } = fakeChargeApi();
    const store = createChargeStore({ api });
    const s = () => store.getState();
    s().setCurrency('EUR');
    for (const k of ['1', '2', '5', '0'] as const) s().press(k);
    expect(s().digits).toBe('1250');
    s().setReference('Table 4');
    await s().enter('pos_1');
    expect(calls[0]).toMatchObject({ path: '/api/v1/charges', body: { amount: '12.50', currency: 'EUR', pointOfSaleId: 'pos_1', reference: 'Table 4' } });
    expect((calls[0]!.opts as { idempotencyKey: string }).idempotencyKey).toMatch(/.{8,}/);
    expect(s().phase).toBe('waiting');

    s().press('9'); // the keypad is inert while a charge runs
    expect(s().digits).toBe('1250');

    s().handleEvents([ev('payment.created', payment('pending', { linkId: 'pl_other' }))]);
    expect(s().phase).toBe('waiting');
    s().handleEvents([ev('payment.created', payment('pending'))]);
    expect(s().phase).toBe('paying');
    s().handleEvents([ev('payment.failed', payment('failed'))]);
    expect(s().phase).toBe('failed');
    s().handleEvents([ev('payment.created', payment('pending', { id: 'pay_2' }))]);
    expect(s().phase).toBe('paying');
    s().handleEvents([ev('payment.succeeded', payment('succeeded', { id: 'pay_2' })), ev('link.consumed', link({ status: 'consumed' }))]);
    expect(s().phase).toBe('paid');
    expect(s().payment?.id).toBe('pay_2');
    expect(s().link?.status).toBe('consumed');

    await s().enter('pos_1'); // Enter after a result: a new charge
    expect(s()).toMatchObject({ phase: 'entry', digits: '', reference: '', link: null });
  });

  it('refuses a zero amount without calling the server', async () => {
    const { api } = fakeChargeApi();
    const store = createChargeStore({ api });
    await store.getState().enter('pos_1');
    expect(store.getState()).toMatchObject({ phase: 'entry', error: 'amount-required' });
    expect(api.post).not.toHaveBeenCalled();
  });

  it('replays events that arrived before the create response, and reacts to expiry and the payer cancelling', async () => {
    const { api } = fakeChargeApi();
    const early = [ev('payment.created', payment('pending'))];
    const store = createChargeStore({ api, recentEvents: () => early });
    store.getState().press('5');
    await store.getState().submit('pos_1');
    expect(store.getState().phase).toBe('paying');
    store.getState().handleEvents([ev('payment.cancelled', payment('cancelled'))]);
    expect(store.getState()).toMatchObject({ phase: 'waiting', notice: 'payer-cancelled' });
    store.getState().handleEvents([ev('link.expired', link({ status: 'expired' }))]);
    expect(store.getState().phase).toBe('expired');
  });

  it('cancels the charge and keeps the amount when the server refuses to create it', async () => {
    const { api, calls } = fakeChargeApi();
    const store = createChargeStore({ api });
    store.getState().press('7');
    await store.getState().submit('pos_1');
    await store.getState().cancel();
    expect(calls[1]!.path).toBe('/api/v1/links/pl_1/cancel');
    expect(store.getState().phase).toBe('cancelled');

    const failing = createChargeStore({ api: { post: async () => Promise.reject(new Error('amount: must be at most 999999999')) } });
    failing.getState().press('7');
    await failing.getState().submit('pos_1');
    expect(failing.getState()).toMatchObject({ phase: 'entry', digits: '7', error: 'amount: must be at most 999999999' });
  });

  it('picks up the charge a display still shows after a reload', () => {
    const store = createChargeStore({ api: fakeChargeApi().api });
    const view: DisplayView = { pointOfSaleId: 'pos_1', mode: 'link', linkId: 'pl_1', paymentId: 'pay_1', link: link({ currency: 'CHF' }), payment: payment('pending'), updatedAt: '' };
    store.getState().restore(view);
    expect(store.getState()).toMatchObject({ phase: 'paying', currency: 'CHF' });
    const idle = createChargeStore({ api: fakeChargeApi().api });
    idle.getState().restore({ ...view, mode: 'idle', link: null });
    expect(idle.getState().phase).toBe('entry');
  });
});

/** An API whose event stream the test controls. */
function fakeFeedApi(history: EventItem[]) {
  const streams: { after: number; push: (e: EventItem) => void; end: () => void }[] = [];
  const enc = new TextEncoder();
  return {
    streams,
    api: {
      get: vi.fn(async (path: string, query?: Record<string, unknown>) => {
        expect(path).toBe('/api/v1/events');
        expect(query).toMatchObject({ order: 'desc' });
        return { data: [...history].sort((a, b) => b.id - a.id), nextCursor: null } as never;
      }),
      fetch: vi.fn(async (_path: string, init: { query?: { after?: number } }) => {
        let controller!: ReadableStreamDefaultController<Uint8Array>;
        const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
        streams.push({
          after: Number(init.query?.after),
          push: (e) => controller.enqueue(enc.encode(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)),
          end: () => controller.close(),
        });
        return new Response(body, { status: 200 });
      }),
    },
  };
}

const until = async (cond: () => boolean): Promise<void> => {
  const end = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('feed store', () => {
  it('shows the newest history, streams from its last id, drops repeats, counts unread and chimes only when sound is on', async () => {
    const history = [ev('link.created', link(), 10), ev('display.updated', {}, 11), ev('payment.succeeded', payment('succeeded'), 12)];
    const { api, streams } = fakeFeedApi(history);
    const beep = vi.fn();
    const storage = new Map<string, string>();
    const feed = createFeedStore({
      api: api as never,
      beep,
      storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
      streamOptions: { backoffMs: [0], sleep: async () => {} },
    });
    const live: number[] = [];
    feed.getState().subscribe((events) => live.push(...events.map((e) => e.id)));
    await feed.getState().start();
    expect(feed.getState().events.map((e) => e.id)).toEqual([12, 11, 10]);
    expect(feed.getState().unread).toBe(0);
    await until(() => streams.length === 1);
    expect(streams[0]!.after).toBe(12);

    streams[0]!.push(history[2]!); // overlap with the history: ignored
    streams[0]!.push(ev('payment.created', payment('pending'), 13));
    streams[0]!.push(ev('display.updated', {}, 14));
    await until(() => feed.getState().lastId === 14);
    expect(feed.getState().unread).toBe(0); // a payment starting and the display changing are not news yet
    expect(beep).not.toHaveBeenCalled();

    feed.getState().setSound(true);
    expect(storage.get('counterlink.sound')).toBe('on');
    streams[0]!.push(ev('payment.succeeded', payment('succeeded'), 15));
    await until(() => feed.getState().lastId === 15);
    expect(beep).toHaveBeenCalledTimes(1);
    expect(feed.getState().unread).toBe(1);

    feed.getState().setActive(true); // the feed is on screen
    expect(feed.getState().unread).toBe(0);
    streams[0]!.end();
    await until(() => streams.length === 2);
    expect(streams[1]!.after).toBe(15);
    streams[1]!.push(ev('payment.refunded', payment('refunded'), 16));
    await until(() => feed.getState().lastId === 16);
    expect(feed.getState().unread).toBe(0);
    expect(live).toEqual([13, 14, 15, 16]);
    const ids = feed.getState().events.map((e) => e.id);
    expect(ids).toEqual([16, 15, 14, 13, 12, 11, 10]);
    feed.getState().stop();
    expect(feed.getState().status).toBe('stopped');
  });
});

describe('list store', () => {
  it('pages forward with nextCursor, back with the cursor each page used, and ignores a stale answer', async () => {
    const seen: { filters: unknown; cursor: string | null }[] = [];
    let slow: ((p: Page<string>) => void) | undefined;
    const list = createListStore<string, { q: string }>({
      key: (s) => s,
      initialFilters: { q: '' },
      limit: 2,
      fetchPage: (filters, cursor) => {
        seen.push({ filters, cursor });
        if (filters.q === 'slow') return new Promise((r) => (slow = r));
        if (cursor === null) return Promise.resolve({ data: ['a', 'b'], nextCursor: 'c1' });
        if (cursor === 'c1') return Promise.resolve({ data: ['c', 'd'], nextCursor: 'c2' });
        return Promise.resolve({ data: ['e'], nextCursor: null });
      },
    });
    const s = () => list.getState();
    await s().load();
    await s().next();
    await s().next();
    expect(s()).toMatchObject({ items: ['e'], page: 2, nextCursor: null });
    await s().next(); // no further page
    await s().prev();
    expect(s()).toMatchObject({ items: ['c', 'd'], page: 1 });
    expect(seen.map((x) => x.cursor)).toEqual([null, 'c1', 'c2', 'c1']);

    const stale = s().setFilters({ q: 'slow' });
    await s().setFilters({ q: 'fast' });
    slow!({ data: ['stale'], nextCursor: null });
    await stale;
    expect(s()).toMatchObject({ items: ['a', 'b'], page: 0, filters: { q: 'fast' } });
    s().replace('b');
    expect(s().items).toEqual(['a', 'b']);
  });
});

describe('session store and API client', () => {
  it('logs in with the CSRF header and no bearer; a 401 anywhere sends the UI back to the login', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const answers: Record<string, [number, unknown]> = {
      '/staff/session': [200, { authenticated: false, method: null, pinSet: true, expiresAt: null }],
      '/staff/login': [200, { authenticated: true, method: 'pin', pinSet: true, expiresAt: null }],
      '/api/v1/links': [401, { type: 'unauthorized', title: 'Authentication required', status: 401, detail: 'The session has ended; log in again.' }],
    };
    const holder: { session?: ReturnType<typeof createSessionStore> } = {};
    const api = new ApiClient({
      baseUrl: '',
      fetchImpl: async (url, init) => {
        requests.push({ url: String(url), init: init ?? {} });
        const [status, body] = answers[String(url).split('?')[0]!]!;
        return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      },
      onUnauthorized: () => holder.session!.getState().expired(),
    });
    const session = createSessionStore(api, { bearer: false });
    holder.session = session;
    await session.getState().check();
    expect(session.getState()).toMatchObject({ status: 'anonymous', pinSet: true });
    expect(await session.getState().loginWithPin('1234')).toBe(true);
    expect(session.getState()).toMatchObject({ status: 'authenticated', method: 'pin' });
    const login = requests.find((r) => r.url === '/staff/login')!;
    expect(login.init.credentials).toBe('same-origin');
    expect((login.init.headers as Record<string, string>)['X-Counterlink-CSRF']).toBe('1');
    expect((login.init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(JSON.parse(String(login.init.body))).toEqual({ method: 'pin', pin: '1234' });

    await expect(api.get('/api/v1/links')).rejects.toBeInstanceOf(ApiError);
    expect(session.getState().status).not.toBe('authenticated');
  });

  it('with the desktop bridge: bearer key, no cookie, no login', async () => {
    const requests: RequestInit[] = [];
    const api = new ApiClient({
      baseUrl: 'http://127.0.0.1:4780',
      apiKey: 'clk_secret',
      fetchImpl: async (url, init) => {
        expect(String(url)).toBe('http://127.0.0.1:4780/api/v1/links?limit=5');
        requests.push(init ?? {});
        return new Response('{"data":[],"nextCursor":null}', { status: 200 });
      },
    });
    expect(createSessionStore(api, { bearer: true }).getState().status).toBe('authenticated');
    await api.get('/api/v1/links', { limit: 5, q: '', cursor: null });
    expect(requests[0]!.credentials).toBe('omit');
    expect((requests[0]!.headers as Record<string, string>).Authorization).toBe('Bearer clk_secret');
  });
});
