/**
 * The staff UI driven by a paired counter's token (a second till joined to a hub): it is told
 * what its role may do by the session route, loads its start data from `/api/v1/devices/me`
 * (never the shop's settings or every point of sale, which answer 403 to a device), charges for
 * its own point of sale only, and says so when the hub revoked it.
 */
import { describe, expect, it, vi } from 'vitest';
import { createSessionStore } from '../../../../renderer/src/stores/session';
import { createAppStore, currentPos } from '../../../../renderer/src/stores/app';
import { createFeedStore } from '../../../../renderer/src/stores/feed';
import { ApiClient } from '../../../../renderer/src/api/client';
import { DEVICE_TOKEN_PREFIX as RENDERER_PREFIX, isDeviceCredential } from '../../../../renderer/src/bridge';
import { DEVICE_TOKEN_PREFIX } from '../../../../core/devices';
import { allowedActions } from '../../../../core/authorization';

const POS = { id: 'pos_bar', name: 'Bar', currency: 'CHF', isDefault: false, methods: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const ME = {
  device: { id: 'dev_1', name: 'Till 2', role: 'counter', pointOfSaleId: POS.id },
  pointOfSale: POS,
  merchant: { merchantName: 'Café Rosa', timeZone: 'Europe/Vienna', defaultCurrency: 'EUR', country: 'AT', defaultLocale: 'de' },
};

function fakeApi(answers: Record<string, [number, unknown]>) {
  const calls: string[] = [];
  const holder: { session?: ReturnType<typeof createSessionStore> } = {};
  const api = new ApiClient({
    baseUrl: '',
    apiKey: 'cld_token',
    fetchImpl: async (url) => {
      const path = String(url).split('?')[0]!;
      calls.push(path);
      const [status, body] = answers[path] ?? [403, { type: 'forbidden', title: 'Forbidden', status: 403, detail: 'A counter may not do this.' }];
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });
    },
    onUnauthorized: () => holder.session?.getState().expired(),
  });
  return { api, calls, holder };
}

describe('a paired counter’s credential', () => {
  it('is recognised by the device token prefix, the same as the server’s', () => {
    expect(RENDERER_PREFIX).toBe(DEVICE_TOKEN_PREFIX);
    expect(isDeviceCredential({ apiKey: `${DEVICE_TOKEN_PREFIX}abc` })).toBe(true);
    expect(isDeviceCredential({ apiKey: 'clk_live_abc' })).toBe(false);
    expect(isDeviceCredential(undefined)).toBe(false);
  });
});

describe('session store with a device token', () => {
  it('waits for the session route and takes the counter’s actions from it (no refund, no settings)', async () => {
    const { api } = fakeApi({
      '/staff/session': [200, { authenticated: true, method: 'device', pinSet: true, expiresAt: null, user: { id: 'dev_1', name: 'Till 2', role: 'counter' }, role: 'counter', actions: allowedActions('counter'), users: [] }],
    });
    const session = createSessionStore(api, { bearer: true, device: true });
    expect(session.getState()).toMatchObject({ status: 'loading', method: 'device' });
    await session.getState().check();
    const s = session.getState();
    expect(s).toMatchObject({ status: 'authenticated', method: 'device', role: 'counter', user: { name: 'Till 2' } });
    expect(s.can('charges.create')).toBe(true);
    expect(s.can('payments.read')).toBe(true);
    expect(s.can('payments.refund')).toBe(false);
    expect(s.can('payments.confirm')).toBe(false);
    expect(s.can('shop.manage')).toBe(false);
    expect(s.can('settings.read')).toBe(false);
  });

  it('a revoked token (401) ends in the signed-out state, not a login with the shop’s PIN', async () => {
    const { api, holder } = fakeApi({
      '/staff/session': [200, { authenticated: true, method: 'device', pinSet: true, expiresAt: null, role: 'counter', actions: allowedActions('counter') }],
      '/api/v1/links': [401, { type: 'unauthorized', title: 'Authentication required', status: 401, detail: 'The API key is not valid.' }],
    });
    const session = createSessionStore(api, { bearer: true, device: true });
    holder.session = session;
    await session.getState().check();
    await expect(api.get('/api/v1/links')).rejects.toThrow();
    expect(session.getState()).toMatchObject({ status: 'anonymous', method: 'device' });
  });

  it('an API key through the bridge still needs no session round trip', () => {
    const { api } = fakeApi({});
    expect(createSessionStore(api, { bearer: true }).getState()).toMatchObject({ status: 'authenticated', method: 'bearer', actions: null });
  });
});

describe('app store with a device token', () => {
  it('loads from /devices/me only: its own point of sale, the shop’s name and zone; no picker', async () => {
    const { api, calls } = fakeApi({ '/api/v1/devices/me': [200, ME] });
    const storage = new Map<string, string>([['counterlink.pos', 'pos_default']]);
    const app = createAppStore(api, { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) }, { device: true });
    await app.getState().load();
    expect(calls).toEqual(['/api/v1/devices/me']);
    const s = app.getState();
    expect(s).toMatchObject({ loaded: true, error: null, posId: POS.id, info: null, methods: null });
    expect(s.pointsOfSale).toEqual([POS]);
    expect(currentPos(s)?.id).toBe(POS.id);
    expect(s.merchant).toMatchObject({ merchantName: 'Café Rosa', timeZone: 'Europe/Vienna', country: 'AT' });
    s.selectPos('pos_default');
    expect(app.getState().posId).toBe(POS.id);
    expect(storage.get('counterlink.pos')).toBe('pos_default');
    await app.getState().loadMethods();
    expect(calls).toEqual(['/api/v1/devices/me']);
  });

  it('says what went wrong when the hub refuses', async () => {
    const { api } = fakeApi({});
    const app = createAppStore(api, undefined, { device: true });
    await app.getState().load();
    expect(app.getState()).toMatchObject({ loaded: true, merchant: null });
    expect(app.getState().error).toBeTruthy();
  });

  it('without a device token it reads the points of sale and settings as before', async () => {
    const { api, calls } = fakeApi({
      '/api/v1/points-of-sale': [200, { data: [{ ...POS, isDefault: true }] }],
      '/api/v1/settings': [200, ME.merchant],
      '/api/v1/staff/info': [200, { baseUrl: 'http://hub', apiBaseUrl: 'http://hub/api/v1', version: '1', pinSet: true }],
      '/api/v1/payment-methods': [200, { data: [] }],
    });
    const app = createAppStore(api);
    await app.getState().load();
    expect(calls).not.toContain('/api/v1/devices/me');
    expect(app.getState()).toMatchObject({ loaded: true, error: null, posId: POS.id });
  });
});

describe('feed stream of a revoked device', () => {
  it('a 401 from the event stream ends the session (the till then says it is no longer paired)', async () => {
    let opens = 0;
    const api = {
      mode: 'test',
      get: async () => ({ data: [], nextCursor: null }),
      fetch: async () => {
        opens++;
        return new Response(JSON.stringify({ type: 'unauthorized', status: 401 }), { status: 401 });
      },
    };
    const onUnauthorized = vi.fn();
    const feed = createFeedStore({ api: api as never, onUnauthorized, streamOptions: { backoffMs: [0], sleep: async () => {} } });
    await feed.getState().start();
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalled());
    feed.getState().stop();
    expect(opens).toBeGreaterThanOrEqual(1);
  });

  it('a stream that opens fine does not end the session', async () => {
    const api = {
      mode: 'test',
      get: async () => ({ data: [], nextCursor: null }),
      fetch: async () => new Response(new ReadableStream({ start: () => {} }), { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    };
    const onUnauthorized = vi.fn();
    const feed = createFeedStore({ api: api as never, onUnauthorized, streamOptions: { backoffMs: [0], sleep: async () => {} } });
    await feed.getState().start();
    await vi.waitFor(() => expect(feed.getState().status).toBe('live'));
    feed.getState().stop();
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});
