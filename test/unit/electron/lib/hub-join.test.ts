/**
 * Joining a hub as wired into the desktop app's start (electron/main/index.ts, which only calls
 * these): the environment that joins a till, the settings a pairing leaves (and the start-up
 * plan they lead to), the words for each failure, the hub watch (unreachable, back, revoked), and
 * the whole round against a real hub: pair, keep, start as a counter, read /devices/me.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describePairFailure,
  hubClientConfig,
  HubWatch,
  hubNotice,
  joinedSettings,
  joinRequestFromEnv,
  pairWithHub,
  parseHubSettings,
  serverConfiguredByEnv,
  startupPlan,
  type PairResult,
} from '../../../../electron/lib/hub';
import { openSecret, sealSecret } from '../../../../electron/lib/settings';
import { createApp, type App } from '../../../../server/create-app';

describe('joining from the environment', () => {
  it('needs both the hub’s address and the code; the name defaults to the machine’s', () => {
    expect(joinRequestFromEnv({}, 'till-pc')).toBeUndefined();
    expect(joinRequestFromEnv({ COUNTERLINK_JOIN_HUB: ' 192.168.1.20 ', COUNTERLINK_JOIN_CODE: 'ABCD-EFGH' }, 'till-pc')).toEqual({ address: '192.168.1.20', code: 'ABCD-EFGH', name: 'till-pc' });
    expect(joinRequestFromEnv({ COUNTERLINK_JOIN_HUB: 'hub.local', COUNTERLINK_JOIN_CODE: 'X', COUNTERLINK_JOIN_NAME: 'Bar till' }, 'pc')).toMatchObject({ name: 'Bar till' });
    expect(joinRequestFromEnv({ COUNTERLINK_JOIN_HUB: 'hub.local' }, 'pc')).toMatchObject({ error: expect.stringContaining('COUNTERLINK_JOIN_CODE') });
    expect(joinRequestFromEnv({ COUNTERLINK_JOIN_CODE: 'ABCDEFGH' }, 'pc')).toMatchObject({ error: expect.any(String) });
  });

  it('a server set up by environment is a hub', () => {
    expect(serverConfiguredByEnv({})).toBe(false);
    expect(serverConfiguredByEnv({ COUNTERLINK_DATABASE_URL: ' ' })).toBe(false);
    expect(serverConfiguredByEnv({ COUNTERLINK_DATABASE_URL: 'postgres://x' })).toBe(true);
    expect(serverConfiguredByEnv({ COUNTERLINK_API_KEY: 'clk_x' })).toBe(true);
  });

  it('words every pairing failure', () => {
    const reasons: Extract<PairResult, { ok: false }>['reason'][] = ['address', 'unreachable', 'code-invalid', 'rate-limited', 'wrong-role', 'not-a-hub'];
    const words = reasons.map((r) => describePairFailure(r, 42));
    expect(new Set(words).size).toBe(reasons.length);
    expect(describePairFailure('rate-limited', 42)).toContain('42 s');
  });
});

describe('the hub watch', () => {
  it('offline after two failed probes, back at the first success, revoked said once and then no more probes', async () => {
    const answers: ('ok' | 'unreachable' | 'revoked')[] = ['ok', 'unreachable', 'unreachable', 'unreachable', 'ok', 'revoked', 'ok'];
    let clock = 0;
    let probes = 0;
    const changes: string[] = [];
    const watch = new HubWatch({
      probe: async () => answers[probes++]!,
      now: () => (clock += 1000),
      onChange: (state, since) => changes.push(`${state}@${since}`),
    });
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) seen.push(await watch.tick());
    expect(seen).toEqual(['online', 'online', 'offline', 'offline', 'online', 'revoked', 'revoked']);
    expect(changes).toEqual(['offline@4000', 'online@6000', 'revoked@7000']);
    expect(probes).toBe(6);
    expect(watch.current).toBe('revoked');
  });

  it('tells staff on the desktop: unreachable and revoked with a sound, back quietly', () => {
    expect(hubNotice('offline', 'http://hub:4780')).toMatchObject({ title: 'Hub unreachable', silent: false, body: expect.stringContaining('http://hub:4780') });
    expect(hubNotice('online', 'http://hub:4780')).toMatchObject({ silent: true });
    expect(hubNotice('revoked', 'http://hub:4780')).toMatchObject({ silent: false, body: expect.stringContaining('pairing code') });
  });

  it('one probe at a time: a tick while one runs does not probe again', async () => {
    let release!: () => void;
    let probes = 0;
    const watch = new HubWatch({
      probe: () => {
        probes++;
        return new Promise((resolve) => (release = () => resolve('ok')));
      },
      now: () => 0,
      onChange: () => {},
    });
    const first = watch.tick();
    expect(await watch.tick()).toBe('online');
    release();
    await first;
    expect(probes).toBe(1);
  });
});

describe('a till joins a real hub and starts as its counter', () => {
  let hub: App;
  let url: string;
  let dir: string;
  let posId: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'counterlink-join-'));
    hub = await createApp({ port: 0, host: '127.0.0.1', apiKey: 'clk_hub_admin_key_123', dataDir: dir, baseUrl: 'http://127.0.0.1:4780' });
    await hub.listen();
    const address = hub.server.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    posId = (await hub.core.pointsOfSale.create({ name: 'Bar', currency: 'EUR' })).id;
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pairs, keeps the pairing (token sealed), plans a counter with no server, and the token reads /devices/me', async () => {
    const { code } = await hub.core.devices.createPairingCode({ role: 'counter', pointOfSaleId: posId });
    const request = joinRequestFromEnv({ COUNTERLINK_JOIN_HUB: url, COUNTERLINK_JOIN_CODE: code, COUNTERLINK_JOIN_NAME: 'Bar till' }, 'pc');
    if (!request || 'error' in request) throw new Error('no join request');
    const result = await pairWithHub(fetch, request.address, request.code, request.name);
    if (!result.ok) throw new Error(`pairing failed: ${result.reason}`);
    const codec = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from([...s].reverse().join('')),
      decryptString: (b: Buffer) => [...b.toString()].reverse().join(''),
    };
    const kept = joinedSettings(result.origin!, result.paired, sealSecret(result.paired.token, codec));
    expect(kept.joined!.token.format).toBe('safeStorage');
    expect(JSON.stringify(kept)).not.toContain(result.paired.token);
    // As it comes back from the settings file at the next start.
    const reread = parseHubSettings(JSON.parse(JSON.stringify(kept)));
    const plan = startupPlan({ hub: reread, hasDatabase: false, serverConfigured: false });
    expect(plan).toMatchObject({ kind: 'counter', hub: { url, pointOfSaleId: posId, name: 'Bar till' } });
    if (plan.kind !== 'counter') return;
    const token = openSecret(plan.hub.token, codec).value!;
    expect(token).toBe(result.paired.token);
    const config = hubClientConfig(plan.hub, token);
    expect(config.startsServer).toBe(false);
    const me = await fetch(`${config.serverUrl}/api/v1/devices/me`, { headers: { authorization: `Bearer ${config.apiKey}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ device: { name: 'Bar till', role: 'counter', pointOfSaleId: posId }, pointOfSale: { id: posId, name: 'Bar' } });
  });
});
