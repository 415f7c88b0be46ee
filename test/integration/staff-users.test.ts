/**
 * Staff users and roles (API.md "Devices, staff users and roles"): the owner manages users, each
 * signs in with their own PIN (the shop's single PIN still signs in as the owner), each role gets
 * what it may do and 403 for the rest, the sign-in limit holds per user under parallel guessing,
 * and charges and refunds record who did them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLink, expectProblem, expectValidation, makeApp, pay, type Res, type TestApp } from './helpers';
import { DEFAULT_LOGIN_LIMITS } from '../../server/staff/limiter';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

const CSRF = { 'x-counterlink-csrf': '1' };

function login(t: TestApp, body: Record<string, unknown>, remoteAddress = '10.5.0.1') {
  return t.app.server.inject({ method: 'POST', url: '/staff/login', headers: { ...CSRF, 'content-type': 'application/json' }, payload: JSON.stringify(body), remoteAddress });
}

/** Signs in and returns a request function that uses the session cookie (and the CSRF header). */
async function signIn(t: TestApp, body: Record<string, unknown>) {
  const res = await login(t, body);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<Res> =>
    t.req(method, url, payload, { auth: false, headers: { cookie, ...CSRF } });
}

async function addUser(t: TestApp, name: string, role: string, pin: string): Promise<{ id: string }> {
  const res = await t.req('POST', '/api/v1/staff-users', { name, role, pin });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('managing staff users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp();
    apps.push(t);
  });

  it('adds, lists, changes and removes users; never shows a PIN', async () => {
    const anna = await addUser(t, 'Anna', 'owner', '1234');
    expect(anna).toEqual({ id: expect.stringMatching(/^usr_/), name: 'Anna', role: 'owner', createdAt: expect.any(String), updatedAt: expect.any(String) });
    const ben = await addUser(t, 'Ben', 'cashier', '5678');
    const list = await t.req('GET', '/api/v1/staff-users');
    expect(list.body.data.map((u: { name: string }) => u.name)).toEqual(['Anna', 'Ben']);
    expect(list.text).not.toContain('5678');
    expect(list.text).not.toMatch(/"pin"/);
    const patched = await t.req('PATCH', `/api/v1/staff-users/${ben.id}`, { name: 'Benjamin', role: 'manager' });
    expect(patched.body).toMatchObject({ name: 'Benjamin', role: 'manager' });
    expect((await t.req('DELETE', `/api/v1/staff-users/${ben.id}`)).status).toBe(204);
    expect((await t.req('GET', '/api/v1/staff-users')).body.data.map((u: { name: string }) => u.name)).toEqual(['Anna']);
    expectProblem(await t.req('PATCH', `/api/v1/staff-users/${ben.id}`, { name: 'Ghost' }), 404, 'not-found');
  });

  it('refuses bad input, and keeps the last owner', async () => {
    expectValidation(await t.req('POST', '/api/v1/staff-users', { name: 'C', role: 'cashier', pin: '12a4' }), 'pin');
    expectValidation(await t.req('POST', '/api/v1/staff-users', { name: 'C', role: 'boss', pin: '1234' }), 'role');
    expectValidation(await t.req('POST', '/api/v1/staff-users', { name: '', role: 'cashier', pin: '1234' }), 'name');
    const owners = (await t.req('GET', '/api/v1/staff-users')).body.data.filter((u: { role: string }) => u.role === 'owner');
    expect(owners).toHaveLength(1);
    expectProblem(await t.req('DELETE', `/api/v1/staff-users/${owners[0].id}`), 409, 'conflict');
    expectProblem(await t.req('PATCH', `/api/v1/staff-users/${owners[0].id}`, { role: 'cashier' }), 409, 'conflict');
    expect((await t.req('GET', '/api/v1/staff-users')).body.data.find((u: { id: string }) => u.id === owners[0].id).role).toBe('owner');
  });
});

describe('each role over HTTP', () => {
  let t: TestApp;
  let cashier: Awaited<ReturnType<typeof signIn>>;
  let manager: Awaited<ReturnType<typeof signIn>>;
  let owner: Awaited<ReturnType<typeof signIn>>;
  let cashierId: string;
  let managerId: string;
  beforeAll(async () => {
    t = await makeApp();
    apps.push(t);
    const o = await addUser(t, 'Olga', 'owner', '1111');
    managerId = (await addUser(t, 'Max', 'manager', '2222')).id;
    cashierId = (await addUser(t, 'Cleo', 'cashier', '3333')).id;
    cashier = await signIn(t, { method: 'pin', userId: cashierId, pin: '3333' });
    manager = await signIn(t, { method: 'pin', userId: managerId, pin: '2222' });
    owner = await signIn(t, { method: 'pin', userId: o.id, pin: '1111' });
  });

  it('a cashier charges and sees links, payments and the feed; the charge records who made it', async () => {
    const charge = await cashier('POST', '/api/v1/charges', { amount: '5.00' });
    expect(charge.status, charge.text).toBe(201);
    const events = await t.req('GET', `/api/v1/events?linkId=${charge.body.id}`);
    const created = events.body.data.find((e: { type: string }) => e.type === 'link.created');
    expect(created.data.actor).toEqual({ type: 'session', id: cashierId, name: 'Cleo', role: 'cashier' });
    expect((await cashier('GET', '/api/v1/links')).status).toBe(200);
    expect((await cashier('GET', '/api/v1/payments')).status).toBe(200);
    expect((await cashier('GET', '/api/v1/events')).status).toBe(200);
    expect((await cashier('GET', `/api/v1/links/${charge.body.id}`)).status).toBe(200);
  });

  it('a cashier cannot refund, manage links or touch the shop: 403, and nothing changes', async () => {
    const link = await createLink(t);
    const payment = await pay(t, link.id, 'succeeded');
    expectProblem(await cashier('POST', `/api/v1/payments/${payment.id}/refund`, {}), 403, 'forbidden');
    expect((await t.req('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('succeeded');
    expectProblem(await cashier('POST', '/api/v1/links', { name: 'x', amount: '1.00' }), 403, 'forbidden');
    expectProblem(await cashier('PATCH', `/api/v1/links/${link.id}`, { name: 'x' }), 403, 'forbidden');
    expectProblem(await cashier('PATCH', '/api/v1/settings', { merchantName: 'x' }), 403, 'forbidden');
    expectProblem(await cashier('DELETE', `/api/v1/links/${link.id}`), 403, 'forbidden');
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).not.toBe('cancelled');
    // …but takes back a charge they made by mistake.
    const mistake = await cashier('POST', '/api/v1/charges', { amount: '50.00' });
    expect((await cashier('POST', `/api/v1/links/${mistake.body.id}/cancel`)).body.status).toBe('cancelled');
    expectProblem(await cashier('GET', '/api/v1/staff-users'), 403, 'forbidden');
    expectProblem(await cashier('POST', '/api/v1/staff-users', { name: 'Me2', role: 'owner', pin: '9999' }), 403, 'forbidden');
    expectProblem(await cashier('GET', '/api/v1/api-keys'), 403, 'forbidden');
    expectProblem(await cashier('GET', '/api/v1/devices'), 403, 'forbidden');
    expect((await t.req('GET', '/api/v1/staff-users')).body.data).toHaveLength(3);
  });

  it('a cashier confirms a received transfer (the Bank QR "Received"), recorded as theirs', async () => {
    const bank = await t.req('PATCH', '/api/v1/settings', { bankTransfer: { accountHolder: 'Café Müller', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' } });
    expect(bank.status, bank.text).toBe(200);
    const link = await t.req('POST', '/api/v1/links', { name: 'Invoice', amount: '8.00', methods: ['sepa_transfer'] });
    const started = await t.req('POST', `/pay-by-link/${link.body.id}/payments`, { method: 'sepa_transfer' }, { auth: false });
    expect(started.status, started.text).toBe(201);
    const confirmed = await cashier('POST', `/api/v1/payments/${started.body.payment.id}/confirm-transfer`, {});
    expect(confirmed.status, confirmed.text).toBe(200);
    const events = await t.req('GET', `/api/v1/events?linkId=${link.body.id}`);
    const succeeded = events.body.data.find((e: { type: string }) => e.type === 'payment.succeeded');
    expect(succeeded.data.actor).toEqual({ type: 'session', id: cashierId, name: 'Cleo', role: 'cashier' });
  });

  it('a manager also refunds (recorded) and manages links, but not the shop', async () => {
    const link = await createLink(t);
    const payment = await pay(t, link.id, 'succeeded');
    const refund = await manager('POST', `/api/v1/payments/${payment.id}/refund`, {});
    expect(refund.status, refund.text).toBe(200);
    expect(refund.body.status).toBe('refunded');
    const events = await t.req('GET', `/api/v1/events?linkId=${link.id}`);
    const refunded = events.body.data.find((e: { type: string }) => e.type === 'payment.refunded');
    expect(refunded.data.actor).toEqual({ type: 'session', id: managerId, name: 'Max', role: 'manager' });
    expect((await manager('POST', '/api/v1/links', { name: 'By Max', amount: '3.00' })).status).toBe(201);
    expect((await manager('PATCH', `/api/v1/links/${link.id}`, { name: 'Renamed by Max' })).status).toBe(200);
    expectProblem(await manager('POST', '/api/v1/pairing-codes', { role: 'counter', pointOfSaleId: 'pos_x' }), 403, 'forbidden');
    expectProblem(await manager('PATCH', '/api/v1/settings', { merchantName: 'x' }), 403, 'forbidden');
    expectProblem(await manager('POST', '/api/v1/api-keys', { name: 'k', mode: 'test' }), 403, 'forbidden');
  });

  it('an owner also manages devices and staff users, recorded in the event log as theirs', async () => {
    expect((await owner('GET', '/api/v1/devices')).status).toBe(200);
    expect((await owner('GET', '/api/v1/staff-users')).status).toBe(200);
    const added = await owner('POST', '/api/v1/staff-users', { name: 'Nina', role: 'cashier', pin: '8642' });
    expect(added.status, added.text).toBe(201);
    expect((await owner('DELETE', `/api/v1/staff-users/${added.body.id}`)).status).toBe(204);
    const log = (await t.req('GET', '/api/v1/events?order=desc&limit=10')).body.data as { type: string; data: { id: string; actor?: unknown } }[];
    const audit = log.filter((e) => e.type.startsWith('staff_user.') && e.data.id === added.body.id).map((e) => [e.type, e.data.actor]);
    const olga = { type: 'session', id: expect.stringMatching(/^usr_/), name: 'Olga', role: 'owner' };
    expect(audit).toEqual([
      ['staff_user.deleted', olga],
      ['staff_user.created', olga],
    ]);
    expect((await owner('GET', '/api/v1/api-keys')).status).toBe(200);
  });

  it('the session says who is signed in and what the role may do (what the UI offers)', async () => {
    const me = await cashier('GET', '/staff/session');
    expect(me.body).toMatchObject({ authenticated: true, method: 'pin', user: { id: cashierId, name: 'Cleo', role: 'cashier' }, role: 'cashier' });
    expect(me.body.actions).toContain('charges.create');
    expect(me.body.actions).not.toContain('payments.refund');
    const out = await t.req('GET', '/staff/session', undefined, { auth: false });
    expect(out.body).toMatchObject({ authenticated: false, users: [{ name: 'Cleo' }, { name: 'Max' }, { name: 'Olga' }] });
  });

  it('a deleted user is signed out at once; a new PIN ends the old sessions', async () => {
    const temp = await addUser(t, 'Temp', 'cashier', '4444');
    const tempSession = await signIn(t, { method: 'pin', userId: temp.id, pin: '4444' });
    expect((await tempSession('GET', '/api/v1/links')).status).toBe(200);
    expect((await t.req('DELETE', `/api/v1/staff-users/${temp.id}`)).status).toBe(204);
    expectProblem(await tempSession('GET', '/api/v1/links'), 401, 'unauthorized');
    expect((await login(t, { method: 'pin', userId: temp.id, pin: '4444' }, '10.5.0.9')).statusCode).toBe(401);

    const other = await addUser(t, 'Other', 'cashier', '5555');
    const otherSession = await signIn(t, { method: 'pin', userId: other.id, pin: '5555' });
    expect((await t.req('PATCH', `/api/v1/staff-users/${other.id}`, { pin: '5556' })).status).toBe(200);
    expectProblem(await otherSession('GET', '/api/v1/links'), 401, 'unauthorized');
    expect((await login(t, { method: 'pin', userId: other.id, pin: '5556' }, '10.5.0.10')).statusCode).toBe(200);
  });
});

describe('signing in', () => {
  it('the shop’s single PIN still signs in, as the owner', async () => {
    const t = await makeApp();
    apps.push(t);
    expect((await t.req('PUT', '/api/v1/staff/pin', { pin: '97531' })).status).toBe(200);
    await addUser(t, 'Cleo', 'cashier', '3333');
    const owner = await signIn(t, { method: 'pin', pin: '97531' });
    expect((await owner('GET', '/staff/session')).body).toMatchObject({ role: 'owner', user: null });
    expect((await owner('GET', '/api/v1/staff-users')).status).toBe(200);
    expect((await owner('POST', '/api/v1/pairing-codes', { role: 'display', pointOfSaleId: (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id })).status).toBe(201);
  });

  it('1,000 parallel wrong guesses at one user from 1,000 addresses: at most the limit is checked, then the right PIN is refused', async () => {
    const t = await makeApp();
    apps.push(t);
    const user = await addUser(t, 'Cleo', 'cashier', '3333');
    const bystander = await addUser(t, 'Bea', 'cashier', '7777');
    const verify = vi.spyOn(t.app.core.staffUsers, 'verify');
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => login(t, { method: 'pin', userId: user.id, pin: String(10000 + i) }, `10.6.${i >> 8}.${i & 255}`)));
    const max = DEFAULT_LOGIN_LIMITS.account.maxFailures;
    expect(verify.mock.calls.length).toBeLessThanOrEqual(max);
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBe(verify.mock.calls.length);
    expect(statuses.filter((s) => s === 429).length).toBe(1000 - verify.mock.calls.length);
    const right = await login(t, { method: 'pin', userId: user.id, pin: '3333' }, '10.7.0.1');
    expect(right.statusCode).toBe(429);
    expect(right.headers['set-cookie']).toBeUndefined();
    // Another user's account is not locked by this one.
    expect((await login(t, { method: 'pin', userId: bystander.id, pin: '7777' }, '10.7.0.2')).statusCode).toBe(200);
  });

  it('per address: five wrong PINs, then even the right one waits', async () => {
    const t = await makeApp();
    apps.push(t);
    const user = await addUser(t, 'Cleo', 'cashier', '3333');
    const max = DEFAULT_LOGIN_LIMITS.address.maxFailures;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => login(t, { method: 'pin', userId: user.id, pin: String(20000 + i) }, '10.8.0.1')));
    expect(results.filter((r) => r.statusCode === 401).length).toBeLessThanOrEqual(max);
    expect((await login(t, { method: 'pin', userId: user.id, pin: '3333' }, '10.8.0.1')).statusCode).toBe(429);
  });
});
