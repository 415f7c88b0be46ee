/**
 * The desktop app's first-start choice (electron/lib/first-start.ts) in plain Node: the checks
 * before any network, "hub here", joining a real hub (wrong code, right code, double click), what
 * is kept in the settings (token sealed), the IPC argument checks of the new channels and the
 * window's hardening. The screen itself: test/e2e/first-start.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJoinRequest, FirstStartFlow, type FirstStartDeps } from '../../../../electron/lib/first-start';
import { pairWithHub, parseHubSettings, startupPlan, type HubSettings, type PairResult } from '../../../../electron/lib/hub';
import { IpcValidationError, parseJoinArgs } from '../../../../electron/lib/ipc-validation';
import { openSecret, sealSecret, type SecretCodec } from '../../../../electron/lib/settings';
import { firstStartWindowOptions } from '../../../../electron/lib/window-options';
import { createApp, type App } from '../../../../server/create-app';
import { API_KEY } from '../../../support/keys';

const codec: SecretCodec = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(`sealed:${text}`),
  decryptString: (buffer) => buffer.toString().slice(7),
};

function deps(pair: FirstStartDeps['pair']) {
  const saved: HubSettings[] = [];
  let calls = 0;
  const d: FirstStartDeps = {
    pair: (...args) => {
      calls++;
      return pair(...args);
    },
    seal: (token) => sealSecret(token, codec),
    save: (hub) => saved.push(hub),
  };
  return { d, saved, calls: () => calls };
}

const never: FirstStartDeps['pair'] = () => Promise.reject(new Error('must not be called'));

describe('checking a join request before any network', () => {
  it('normalises the address and the code, trims the name', () => {
    expect(checkJoinRequest({ address: ' 192.168.1.20 ', code: 'abcd-efgh', name: '  Till   2 ' })).toEqual({ ok: true, origin: 'http://192.168.1.20:4780', code: 'ABCDEFGH', name: 'Till 2' });
    expect(checkJoinRequest({ address: 'http://till-1.local:8080/', code: 'ABCD EFGH', name: 'Bar' })).toMatchObject({ ok: true, origin: 'http://till-1.local:8080' });
  });

  it('refuses a bad address, a code of the wrong shape or alphabet, and no name', () => {
    for (const address of ['', 'ftp://hub', 'http://u:p@hub', 'hub/path', 'http://']) expect(checkJoinRequest({ address, code: 'ABCDEFGH', name: 'x' })).toEqual({ ok: false, reason: 'address' });
    // 0, O, 1, I and L are not in the alphabet (read off a screen, they are confused).
    for (const code of ['', 'ABCDEFG', 'ABCDEFGHJ', 'ABCDEFG0', 'ABCDEFGI', 'ABCD_EFG']) expect(checkJoinRequest({ address: 'hub', code, name: 'x' })).toEqual({ ok: false, reason: 'code-format' });
    for (const name of ['', '   ', 'x'.repeat(121)]) expect(checkJoinRequest({ address: 'hub', code: 'ABCDEFGH', name })).toEqual({ ok: false, reason: 'name' });
  });

  it('a refused request never reaches the hub', async () => {
    const { d, calls } = deps(never);
    const flow = new FirstStartFlow(d, 'first-start', 'till-pc');
    expect(await flow.join({ address: 'ftp://x', code: 'ABCDEFGH', name: 'Till' })).toEqual({ ok: false, reason: 'address' });
    expect(calls()).toBe(0);
    expect(flow.done).toBe(false);
  });
});

describe('the choice', () => {
  it('tells the screen why it shows and the till’s default name (the computer’s)', () => {
    expect(new FirstStartFlow(deps(never).d, 'not-paired', 'till-pc').info()).toEqual({ why: 'not-paired', defaultName: 'till-pc' });
    expect(new FirstStartFlow(deps(never).d, 'first-start', '  ').info().defaultName).toBe('Till');
  });

  it('"hub here" is kept and settles once; nothing can be joined afterwards', async () => {
    const { d, saved } = deps(never);
    const flow = new FirstStartFlow(d, 'first-start', 'pc');
    flow.runHubHere();
    flow.runHubHere();
    await expect(flow.outcome).resolves.toEqual({ kind: 'hub' });
    expect(saved).toEqual([{ role: 'hub', joined: null }]);
    // The next start does not ask again.
    expect(startupPlan({ hub: saved[0]!, hasDatabase: false, serverConfigured: false })).toEqual({ kind: 'hub', why: 'chosen' });
    expect(await flow.join({ address: 'hub', code: 'ABCDEFGH', name: 'x' })).toEqual({ ok: false, reason: 'busy' });
  });

  it('passes each pairing failure on as a reason (with the retry time), keeps nothing and lets the staff try again', async () => {
    const results: PairResult[] = [
      { ok: false, reason: 'code-invalid' },
      { ok: false, reason: 'rate-limited', retryAfterSeconds: 42 },
      { ok: false, reason: 'unreachable' },
      { ok: false, reason: 'wrong-role' },
    ];
    const { d, saved } = deps(async () => results.shift()!);
    const flow = new FirstStartFlow(d, 'first-start', 'pc');
    const req = { address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' };
    expect(await flow.join(req)).toEqual({ ok: false, reason: 'code-invalid' });
    expect(await flow.join(req)).toEqual({ ok: false, reason: 'rate-limited', retryAfterSeconds: 42 });
    expect(await flow.join(req)).toEqual({ ok: false, reason: 'unreachable' });
    expect(await flow.join(req)).toEqual({ ok: false, reason: 'wrong-role' });
    expect(saved).toEqual([]);
    expect(flow.done).toBe(false);
  });

  it('one join at a time: a second click while pairing is refused, not sent', async () => {
    let release!: (r: PairResult) => void;
    const { d, calls } = deps(() => new Promise((resolve) => (release = resolve)));
    const flow = new FirstStartFlow(d, 'first-start', 'pc');
    const req = { address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' };
    const first = flow.join(req);
    expect(await flow.join(req)).toEqual({ ok: false, reason: 'busy' });
    flow.runHubHere(); // ignored while joining
    release({ ok: false, reason: 'unreachable' });
    expect(await first).toEqual({ ok: false, reason: 'unreachable' });
    expect(calls()).toBe(1);
    expect(flow.done).toBe(false);
  });
});

describe('joining a real hub through the flow', () => {
  let hub: App;
  let dir: string;
  let origin: string;
  let posId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'counterlink-first-start-'));
    hub = await createApp({ dataDir: dir, port: 0, host: '127.0.0.1', apiKey: API_KEY });
    origin = new URL(await hub.listen()).origin;
    posId = (await hub.core.pointsOfSale.list())[0]!.id;
  });

  afterAll(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a wrong code is code-invalid; the right one pairs, keeps the sealed token and settles as that counter', async () => {
    const { d, saved } = deps((address, code, name) => pairWithHub(fetch, address, code, name));
    const flow = new FirstStartFlow(d, 'first-start', 'pc');
    const address = origin.replace(/^http:\/\//, '');
    expect(await flow.join({ address, code: 'ABCDEFGH', name: 'Till 2' })).toEqual({ ok: false, reason: 'code-invalid' });

    const { code } = await hub.core.devices.createPairingCode({ role: 'counter', pointOfSaleId: posId });
    const result = await flow.join({ address, code: code.toLowerCase().replace(/^(.{4})/, '$1-'), name: 'Till 2' });
    expect(result).toEqual({ ok: true, hub: { origin, name: 'Till 2', pointOfSaleId: posId } });
    const outcome = await flow.outcome;
    expect(outcome.kind).toBe('counter');

    // Kept as the next start reads it: a counter of this hub, the token sealed and working.
    expect(saved).toHaveLength(1);
    const kept = parseHubSettings(JSON.parse(JSON.stringify(saved[0])));
    expect(kept.joined?.token.format).toBe('safeStorage');
    expect(JSON.stringify(kept)).not.toContain('cld_');
    const plan = startupPlan({ hub: kept, hasDatabase: false, serverConfigured: false });
    expect(plan.kind).toBe('counter');
    const token = openSecret(kept.joined!.token, codec).value!;
    const me = await fetch(`${origin}/api/v1/devices/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect((await hub.core.devices.list()).map((x) => x.name)).toEqual(['Till 2']);

    // The code is used up: joining again with it is refused (and the flow is done anyway).
    expect(await flow.join({ address, code, name: 'Till 3' })).toEqual({ ok: false, reason: 'busy' });
    expect(await pairWithHub(fetch, address, code, 'Till 3')).toEqual({ ok: false, reason: 'code-invalid' });
  });
});

describe('the first-start window and its IPC', () => {
  it('is hardened like every other window', () => {
    const o = firstStartWindowOptions({ preload: '/x/preload.cjs', devTools: false });
    expect(o.webPreferences).toMatchObject({ preload: '/x/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
    expect(o.show).toBe(false);
  });

  it('join takes exactly one object with the address, the code and the name as bounded single-line strings', () => {
    expect(parseJoinArgs([{ address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' }])).toEqual({ address: '192.168.1.20', code: 'ABCDEFGH', name: 'Till 2' });
    const bad: unknown[][] = [
      [],
      [{ address: 'a', code: 'b', name: 'c' }, 1],
      ['192.168.1.20'],
      [null],
      [[1]],
      [{ address: 'a', code: 'b' }],
      [{ address: 'a', code: 'b', name: 'c', token: 'x' }],
      [{ address: 1, code: 'b', name: 'c' }],
      [{ address: 'a'.repeat(301), code: 'b', name: 'c' }],
      [{ address: 'a', code: 'b'.repeat(33), name: 'c' }],
      [{ address: 'a', code: 'b', name: 'line\nbreak' }],
      [{ address: 'a\u0000', code: 'b', name: 'c' }],
      [Object.assign(Object.create({ polluted: true }) as object, { address: 'a', code: 'b', name: 'c' })],
    ];
    for (const args of bad) expect(() => parseJoinArgs(args), JSON.stringify(args)).toThrow(IpcValidationError);
  });
});
