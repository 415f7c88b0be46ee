/**
 * The desktop app's "run the hub here / join a hub" logic (electron/lib/hub.ts): the start-up
 * decision, typed hub addresses, pairing against a real hub (and every way it can fail), the
 * client config a joined counter runs with, and the unreachable / back-again state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_HUB_PORT,
  hubClientConfig,
  initialReachability,
  nextReachability,
  normalizeHubAddress,
  pairWithHub,
  parseHubSettings,
  probeHub,
  startupPlan,
  type HubSettings,
  type JoinedHub,
} from '../../../../electron/lib/hub';
import { createApp, type App } from '../../../../server/create-app';

const joined: JoinedHub = { url: 'http://192.168.1.20:4780', deviceId: 'dev_abc123', name: 'Till 2', pointOfSaleId: 'pos_main1', token: { format: 'plain', data: 'cld_x' } };

describe('what the desktop app does at start', () => {
  const facts = (hub: HubSettings, hasDatabase = false, serverConfigured = false) => startupPlan({ hub, hasDatabase, serverConfigured });

  it('asks on the first start of a new install', () => {
    expect(facts({ role: null, joined: null })).toEqual({ kind: 'ask', why: 'first-start' });
  });

  it('never asks an existing shop: its database makes it the hub, as before', () => {
    expect(facts({ role: null, joined: null }, true)).toEqual({ kind: 'hub', why: 'existing-install' });
    expect(facts({ role: null, joined: null }, false, true)).toEqual({ kind: 'hub', why: 'configured' });
  });

  it('keeps the choice: a hub starts its server, a joined counter starts none', () => {
    expect(facts({ role: 'hub', joined: null })).toEqual({ kind: 'hub', why: 'chosen' });
    expect(facts({ role: 'counter', joined }, true)).toEqual({ kind: 'counter', hub: joined });
  });

  it('asks again when a counter has lost its pairing', () => {
    expect(facts({ role: 'counter', joined: null }, true)).toEqual({ kind: 'ask', why: 'not-paired' });
  });
});

describe('settings of the choice', () => {
  it('keeps a sound joined hub and drops a malformed one', () => {
    expect(parseHubSettings({ role: 'counter', joined })).toEqual({ role: 'counter', joined });
    expect(parseHubSettings({ role: 'counter', joined: { ...joined, url: 'ftp://x' } })).toEqual({ role: 'counter', joined: null });
    expect(parseHubSettings({ role: 'counter', joined: { ...joined, deviceId: '../../../x' } }).joined).toBeNull();
    expect(parseHubSettings({ role: 'counter', joined: { ...joined, token: { format: 'rot13', data: 'x' } } }).joined).toBeNull();
    expect(parseHubSettings({ role: 'boss' })).toEqual({ role: null, joined: null });
    expect(parseHubSettings(undefined)).toEqual({ role: null, joined: null });
  });
});

describe('a typed hub address', () => {
  it('takes what staff type and gives the hub’s origin', () => {
    expect(normalizeHubAddress('192.168.1.20')).toEqual({ ok: true, origin: `http://192.168.1.20:${DEFAULT_HUB_PORT}` });
    expect(normalizeHubAddress(' 192.168.1.20:8080 ')).toEqual({ ok: true, origin: 'http://192.168.1.20:8080' });
    expect(normalizeHubAddress('http://till-1.local:4780/')).toEqual({ ok: true, origin: 'http://till-1.local:4780' });
    expect(normalizeHubAddress('https://shop.example')).toEqual({ ok: true, origin: 'https://shop.example' });
    expect(normalizeHubAddress('[fe80::1]:4780')).toEqual({ ok: true, origin: 'http://[fe80::1]:4780' });
  });

  it('refuses what is not a hub address, saying why', () => {
    expect(normalizeHubAddress('')).toEqual({ ok: false, reason: 'empty' });
    expect(normalizeHubAddress('file:///etc/passwd')).toEqual({ ok: false, reason: 'scheme' });
    expect(normalizeHubAddress('http://user:pw@192.168.1.20')).toEqual({ ok: false, reason: 'credentials' });
    expect(normalizeHubAddress('192.168.1.20/api/v1')).toEqual({ ok: false, reason: 'path' });
    expect(normalizeHubAddress('http://exa mple')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('pairing with a real hub', () => {
  let hub: App;
  let url: string;
  let dir: string;
  let posId: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'counterlink-hub-'));
    hub = await createApp({ port: 0, host: '127.0.0.1', apiKey: 'clk_hub_admin_key_123', dataDir: dir, baseUrl: 'http://127.0.0.1:4780' });
    await hub.listen();
    const address = hub.server.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    posId = (await hub.core.pointsOfSale.list())[0]!.id;
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pairs with a counter code, and the config it gives works against the hub', async () => {
    const { code } = await hub.core.devices.createPairingCode({ role: 'counter', pointOfSaleId: posId });
    const result = await pairWithHub(fetch, url.replace('http://', ''), code, 'Till 2');
    expect(result).toMatchObject({ ok: true, origin: url, paired: { device: { name: 'Till 2', role: 'counter', pointOfSaleId: posId }, token: expect.stringMatching(/^cld_/) } });
    if (!result.ok) return;
    const config = hubClientConfig({ url: result.origin!, deviceId: result.paired.device.id, name: 'Till 2', pointOfSaleId: posId, token: { format: 'plain', data: '' } }, result.paired.token);
    expect(config).toMatchObject({ serverUrl: url, startsServer: false, displayUrl: `${url}/display/${posId}`, healthUrl: `${url}/healthz` });
    expect(await probeHub(fetch, config)).toBe('ok');
    // A charge through the hub with the device token.
    const charge = await fetch(`${config.serverUrl}/api/v1/charges`, { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ amount: '3.00' }) });
    expect(charge.status).toBe(201);
    // Revoked on the hub: the probe says so (the till then asks to pair again).
    await hub.core.devices.revoke(result.paired.device.id);
    expect(await probeHub(fetch, config)).toBe('revoked');
  });

  it('words every failure', async () => {
    expect(await pairWithHub(fetch, url, 'ABCDEFGH', 'Till 3')).toEqual({ ok: false, reason: 'code-invalid' });
    const display = await hub.core.devices.createPairingCode({ role: 'display', pointOfSaleId: posId });
    expect(await pairWithHub(fetch, url, display.code, 'Till 3')).toEqual({ ok: false, reason: 'wrong-role' });
    expect(await pairWithHub(fetch, 'ftp://x', 'ABCDEFGH', 'Till 3')).toEqual({ ok: false, reason: 'address' });
    // Nothing listens there.
    expect(await pairWithHub(fetch, 'http://127.0.0.1:1', 'ABCDEFGH', 'Till 3', 1000)).toEqual({ ok: false, reason: 'unreachable' });
    const fake429 = async () => ({ status: 429, headers: { get: (n: string) => (n === 'retry-after' ? '42' : null) }, json: async () => ({}) });
    expect(await pairWithHub(fake429, url, 'ABCDEFGH', 'x')).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 42 });
    const notHub = async () => ({ status: 200, headers: { get: () => null }, json: async () => ({ hello: 'world' }) });
    expect(await pairWithHub(notHub, url, 'ABCDEFGH', 'x')).toEqual({ ok: false, reason: 'not-a-hub' });
    expect(await probeHub(fetch, hubClientConfig({ ...joined, url: 'http://127.0.0.1:1' }, 'cld_x'), 1000)).toBe('unreachable');
  });
});

describe('hub unreachable, and back', () => {
  it('says offline after two failed probes in a row and online at the first success', () => {
    let r = { ...initialReachability(0), changed: false };
    r = nextReachability(r, false, 1000);
    expect(r).toMatchObject({ state: 'online', failures: 1, changed: false });
    r = nextReachability(r, true, 2000);
    expect(r).toMatchObject({ state: 'online', failures: 0, changed: false });
    r = nextReachability(r, false, 3000);
    r = nextReachability(r, false, 4000);
    expect(r).toEqual({ state: 'offline', since: 4000, failures: 2, changed: true });
    r = nextReachability(r, false, 5000);
    expect(r).toMatchObject({ state: 'offline', since: 4000, changed: false });
    r = nextReachability(r, true, 6000);
    expect(r).toEqual({ state: 'online', since: 6000, failures: 0, changed: true });
  });
});
