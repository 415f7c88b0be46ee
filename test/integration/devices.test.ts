/**
 * Paired devices (API.md "Devices, staff users and roles"): pairing codes (good, reused,
 * expired, raced, rate-limited), what a counter and a display may and may not do over HTTP, and
 * revocation (401 at once, open event streams closed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, expectProblem, listen, makeApp, pay, type Res, type TestApp } from './helpers';
import { SseClient } from '../support/sse-client';
import { PAIRING_ALPHABET } from '../../core/devices';
import { ROUTE_RULES } from '../../server/http/authorize';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

async function app(options: Parameters<typeof makeApp>[0] = {}): Promise<TestApp> {
  const t = await makeApp(options);
  apps.push(t);
  return t;
}

async function defaultPos(t: TestApp): Promise<string> {
  const res = await t.req('GET', '/api/v1/points-of-sale');
  return res.body.data.find((p: { isDefault: boolean }) => p.isDefault).id;
}

async function pairingCode(t: TestApp, role: 'counter' | 'display', pointOfSaleId: string): Promise<string> {
  const res = await t.req('POST', '/api/v1/pairing-codes', { role, pointOfSaleId });
  expect(res.status, res.text).toBe(201);
  return res.body.code;
}

function pair(t: TestApp, code: string, name = 'Till 2', remoteAddress = '10.1.1.1') {
  return t.app.server
    .inject({ method: 'POST', url: '/devices/pair', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ code, name }), remoteAddress })
    .then((r) => ({ status: r.statusCode, body: r.json(), headers: r.headers, text: r.body, raw: r }) as Res);
}

async function paired(t: TestApp, role: 'counter' | 'display', pointOfSaleId: string): Promise<{ id: string; token: string }> {
  const res = await pair(t, await pairingCode(t, role, pointOfSaleId), `${role} device`);
  expect(res.status, res.text).toBe(201);
  return { id: res.body.device.id, token: res.body.token };
}

/** A request with a device's token instead of the API key. */
function as(t: TestApp, token: string) {
  return (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => t.req(method, url, body, { auth: false, headers: { authorization: `Bearer ${token}` } });
}

describe('pairing', () => {
  let t: TestApp;
  let pos: string;
  beforeAll(async () => {
    t = await app();
    pos = await defaultPos(t);
  });

  it('a code of 8 unambiguous characters, valid 10 minutes, pairs one device once', async () => {
    const res = await t.req('POST', '/api/v1/pairing-codes', { role: 'counter', pointOfSaleId: pos });
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{8}$`));
    expect(res.body.expiresAt).toBe(new Date(t.clock!.now() + 10 * 60_000).toISOString());
    const first = await pair(t, res.body.code.toLowerCase().replace(/^(....)/, '$1-'), 'Till 2');
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({ device: { id: expect.stringMatching(/^dev_/), name: 'Till 2', role: 'counter', pointOfSaleId: pos }, token: expect.stringMatching(/^cld_/) });
    expect(String(first.headers['cache-control'])).toContain('no-store');

    const list = await t.req('GET', '/api/v1/devices');
    expect(list.body.data).toContainEqual({ id: first.body.device.id, name: 'Till 2', role: 'counter', pointOfSaleId: pos, createdAt: expect.any(String), lastSeenAt: expect.any(String) });
    // The token works; the code is used up.
    expect((await as(t, first.body.token)('GET', '/api/v1/display')).status).toBe(200);
    expectProblem(await pair(t, res.body.code, 'Till 3'), 401, 'pairing-code-invalid');
  });

  it('refuses an unknown and an expired code with 401 pairing-code-invalid', async () => {
    expectProblem(await pair(t, 'ABCDEFGH'), 401, 'pairing-code-invalid');
    expectProblem(await pair(t, 'short'), 401, 'pairing-code-invalid');
    const code = await pairingCode(t, 'display', pos);
    t.clock!.advance(10 * 60_000);
    expectProblem(await pair(t, code), 401, 'pairing-code-invalid');
  });

  it('two devices racing with one code: exactly one is paired', async () => {
    const code = await pairingCode(t, 'counter', pos);
    const before = (await t.req('GET', '/api/v1/devices')).body.data.length;
    const results = await Promise.all([pair(t, code, 'A', '10.2.0.1'), pair(t, code, 'B', '10.2.0.2'), pair(t, code, 'C', '10.2.0.3')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401]);
    expect((await t.req('GET', '/api/v1/devices')).body.data.length).toBe(before + 1);
  });

  it('checks the role and the point of sale of a new code', async () => {
    expectProblem(await t.req('POST', '/api/v1/pairing-codes', { role: 'boss', pointOfSaleId: pos }), 422, 'validation-error');
    const unknown = expectProblem(await t.req('POST', '/api/v1/pairing-codes', { role: 'counter', pointOfSaleId: 'pos_nope' }), 422, 'validation-error');
    expect(unknown.errors[0]).toMatchObject({ path: 'pointOfSaleId', code: 'unknown' });
  });

  it('is rate-limited per address', async () => {
    const limited = await app({ pairRateLimit: { perAddress: 3, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await pair(limited, 'ABCDEFGH', 'x', '10.3.0.1')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await pair(limited, 'ABCDEFGH', 'x', '10.3.0.1');
    expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right code waits: guessing cannot go on from this address.
    const code = await pairingCode(limited, 'counter', await defaultPos(limited));
    expect((await pair(limited, code, 'x', '10.3.0.1')).status).toBe(429);
    expect((await pair(limited, code, 'x', '10.3.0.2')).status).toBe(201);
  });
});

describe('what a counter may do: charge, show and read on its own point of sale, nothing else', () => {
  let t: TestApp;
  let posA: string;
  let posB: string;
  let counter: ReturnType<typeof as>;
  let linkB: { id: string };
  let paymentB: { id: string };
  beforeAll(async () => {
    t = await app();
    posA = await defaultPos(t);
    posB = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Terrace' })).body.id;
    counter = as(t, (await paired(t, 'counter', posA)).token);
    linkB = await createLink(t, { name: 'Terrace link', pointOfSaleId: posB });
    paymentB = await pay(t, linkB.id, 'succeeded');
  });

  it('creates charges on its point of sale (the default), never on another', async () => {
    const charge = await counter('POST', '/api/v1/charges', { amount: '4.20' });
    expect(charge.status, charge.text).toBe(201);
    expect(charge.body.pointOfSaleId).toBe(posA);
    expect((await counter('POST', '/api/v1/charges', { amount: '4.20', pointOfSaleId: posA })).status).toBe(201);
    const before = (await t.req('GET', `/api/v1/links?pointOfSaleId=${posB}`)).body.data.length;
    expectProblem(await counter('POST', '/api/v1/charges', { amount: '4.20', pointOfSaleId: posB }), 403, 'forbidden');
    expect((await t.req('GET', `/api/v1/links?pointOfSaleId=${posB}`)).body.data.length).toBe(before);
  });

  it('reads the links and payments of its point of sale only', async () => {
    const linkA = (await counter('POST', '/api/v1/charges', { amount: '7.00' })).body;
    const paymentA = await pay(t, linkA.id, 'succeeded');
    const links = await counter('GET', '/api/v1/links');
    expect(links.status).toBe(200);
    expect(links.body.data.length).toBeGreaterThan(0);
    expect(links.body.data.every((l: { pointOfSaleId: string }) => l.pointOfSaleId === posA)).toBe(true);
    expect((await counter('GET', `/api/v1/links/${linkA.id}`)).status).toBe(200);
    expect((await counter('GET', `/api/v1/links/${linkA.id}/qr`)).status).toBe(200);
    expectProblem(await counter('GET', `/api/v1/links/${linkB.id}`), 403, 'forbidden');
    expectProblem(await counter('GET', `/api/v1/links?pointOfSaleId=${posB}`), 403, 'forbidden');

    const payments = await counter('GET', '/api/v1/payments');
    expect(payments.body.data.map((p: { id: string }) => p.id)).toContain(paymentA.id);
    expect(payments.body.data.map((p: { id: string }) => p.id)).not.toContain(paymentB.id);
    expect((await counter('GET', `/api/v1/payments/${paymentA.id}`)).status).toBe(200);
    expectProblem(await counter('GET', `/api/v1/payments/${paymentB.id}`), 403, 'forbidden');
    // Staff see everything, and can narrow payments to a point of sale too.
    const all = await t.req('GET', `/api/v1/payments?pointOfSaleId=${posB}`);
    expect(all.body.data.map((p: { id: string }) => p.id)).toEqual([paymentB.id]);
  });

  it('shows and clears its own display only', async () => {
    const linkA = (await counter('POST', '/api/v1/charges', { amount: '3.00' })).body;
    expect((await counter('POST', '/api/v1/display/show', { linkId: linkA.id })).body).toMatchObject({ pointOfSaleId: posA, mode: 'link', linkId: linkA.id });
    expect((await counter('GET', '/api/v1/display')).body).toMatchObject({ pointOfSaleId: posA, linkId: linkA.id });
    expect((await counter('POST', '/api/v1/display/clear', {})).body).toMatchObject({ pointOfSaleId: posA, mode: 'idle' });
    const otherLink = await createLink(t, { name: 'B', pointOfSaleId: posB });
    expectProblem(await counter('POST', '/api/v1/display/show', { linkId: otherLink.id }), 403, 'forbidden');
    expectProblem(await counter('POST', '/api/v1/display/clear', { pointOfSaleId: posB }), 403, 'forbidden');
    expectProblem(await counter('GET', `/api/v1/display?pointOfSaleId=${posB}`), 403, 'forbidden');
    expect((await t.req('GET', `/api/v1/display?pointOfSaleId=${posB}`)).body.mode).toBe('idle');
  });

  it('gets 403 forbidden for everything else, and nothing changes', async () => {
    const linkA = (await counter('POST', '/api/v1/charges', { amount: '9.00' })).body;
    const paymentA = await pay(t, linkA.id, 'succeeded');
    expectProblem(await counter('POST', `/api/v1/payments/${paymentA.id}/refund`, {}), 403, 'forbidden');
    expect((await t.req('GET', `/api/v1/payments/${paymentA.id}`)).body.status).toBe('succeeded');
    expectProblem(await counter('POST', '/api/v1/links', { name: 'Mine', amount: '1.00' }), 403, 'forbidden');
    expectProblem(await counter('PATCH', `/api/v1/links/${linkA.id}`, { name: 'Renamed' }), 403, 'forbidden');
    expectProblem(await counter('DELETE', `/api/v1/links/${linkA.id}`), 403, 'forbidden');
    expectProblem(await counter('POST', `/api/v1/links/${linkA.id}/cancel`), 403, 'forbidden');
    expect((await t.req('GET', `/api/v1/links/${linkA.id}`)).body.name).not.toBe('Renamed');
    for (const [method, url] of [
      ['GET', '/api/v1/settings'],
      ['GET', '/api/v1/points-of-sale'],
      ['GET', '/api/v1/devices'],
      ['GET', '/api/v1/api-keys'],
      ['GET', '/api/v1/staff-users'],
      ['GET', '/api/v1/webhook-endpoints'],
      ['GET', '/api/v1/staff/info'],
    ] as const) {
      expectProblem(await counter(method, url), 403, 'forbidden');
    }
    expectProblem(await counter('POST', '/api/v1/pairing-codes', { role: 'counter', pointOfSaleId: posA }), 403, 'forbidden');
    expectProblem(await counter('PATCH', '/api/v1/settings', { merchantName: 'Mine now' }), 403, 'forbidden');
  });

  it('reads the events of its point of sale only', async () => {
    await counter('POST', '/api/v1/charges', { amount: '1.50' });
    await createLink(t, { name: 'Not for the counter', pointOfSaleId: posB });
    const mine = await counter('GET', '/api/v1/events?limit=200');
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThan(0);
    const staffView = await t.req('GET', '/api/v1/events?limit=200');
    const names = (page: { data: { data: { name?: string } }[] }) => page.data.map((e) => e.data.name);
    expect(names(staffView.body)).toContain('Not for the counter');
    expect(names(mine.body)).not.toContain('Not for the counter');
    const byType = new Set(mine.body.data.map((e: { type: string }) => e.type));
    expect(byType.has('payment.succeeded')).toBe(true);
  });
});

describe('the route table', () => {
  it('names only routes that exist (a typo would leave a route closed to everyone but owners)', async () => {
    const t = await app();
    for (const key of Object.keys(ROUTE_RULES)) {
      const [method, url] = key.split(' ') as ['GET' | 'POST', string];
      expect(t.app.server.hasRoute({ method, url }), key).toBe(true);
    }
  });
});

describe('what a display may do', () => {
  it('reads its display and nothing else', async () => {
    const t = await app();
    const pos = await defaultPos(t);
    const display = as(t, (await paired(t, 'display', pos)).token);
    expect((await display('GET', '/api/v1/display')).body).toMatchObject({ pointOfSaleId: pos, mode: 'idle' });
    expect((await display('GET', '/api/v1/events')).status).toBe(200);
    expectProblem(await display('POST', '/api/v1/display/clear', {}), 403, 'forbidden');
    expectProblem(await display('POST', '/api/v1/charges', { amount: '1.00' }), 403, 'forbidden');
    expectProblem(await display('GET', '/api/v1/links'), 403, 'forbidden');
    expectProblem(await display('GET', '/api/v1/payments'), 403, 'forbidden');
  });
});

describe('revoking a device', () => {
  it('is 401 at once, everywhere, and closes its open event stream', async () => {
    const t = await app({ eventStream: { heartbeatMs: 200 } });
    const base = await listen(t);
    const posA = await defaultPos(t);
    const posB = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Terrace' })).body.id;
    const device = await paired(t, 'counter', posA);
    const counter = as(t, device.token);

    const stream = new SseClient();
    await stream.open(`${base}/api/v1/events`, { authorization: `Bearer ${device.token}` });
    expect(stream.status).toBe(200);
    const mine = (await counter('POST', '/api/v1/charges', { amount: '2.00' })).body;
    await createLink(t, { name: 'Terrace only', pointOfSaleId: posB });
    const last = await createLink(t, { name: 'Last of A', pointOfSaleId: posA });
    await stream.waitFor(() => stream.events.some((e) => e.data.data.id === last.id), 'the last link of A');
    expect(stream.events.some((e) => e.data.data.id === mine.id)).toBe(true);
    expect(stream.events.some((e) => e.data.data.name === 'Terrace only')).toBe(false);

    expect((await t.req('DELETE', `/api/v1/devices/${device.id}`)).status).toBe(204);
    await stream.waitFor(() => stream.ended, 'the stream to close');
    const revoked = (await t.req('GET', '/api/v1/events?order=desc&limit=5')).body.data.find((e: { type: string }) => e.type === 'device.revoked');
    expect(revoked.data).toMatchObject({ id: device.id, role: 'counter', pointOfSaleId: posA, actor: { type: 'apiKey', role: 'admin' } });
    expectProblem(await counter('GET', '/api/v1/display'), 401, 'unauthorized');
    expectProblem(await counter('POST', '/api/v1/charges', { amount: '2.00' }), 401, 'unauthorized');
    const again = new SseClient();
    await again.open(`${base}/api/v1/events`, { authorization: `Bearer ${device.token}` });
    expect(again.status).toBe(401);
    again.close();
    expect((await t.req('GET', '/api/v1/devices')).body.data.map((d: { id: string }) => d.id)).not.toContain(device.id);
    expectProblem(await t.req('DELETE', `/api/v1/devices/${device.id}`), 404, 'not-found');
    stream.close();
  });
});
