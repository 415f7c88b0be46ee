/**
 * `GET /api/v1/devices/me`: what a paired counter's staff UI starts from (it may not read the
 * shop's settings or every point of sale). A device gets itself, its own point of sale and the
 * shop's formatting settings (no secrets); everyone else (API key, owner, cashier) gets 403;
 * a revoked device 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, makeApp, type Res, type TestApp } from './helpers';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

const CSRF = { 'x-counterlink-csrf': '1' };

async function pairDevice(t: TestApp, role: 'counter' | 'display', pointOfSaleId: string, name: string): Promise<{ id: string; token: string }> {
  const code = await t.req('POST', '/api/v1/pairing-codes', { role, pointOfSaleId });
  expect(code.status, code.text).toBe(201);
  const res = await t.app.server.inject({
    method: 'POST',
    url: '/devices/pair',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ code: code.body.code, name }),
    remoteAddress: '10.7.0.1',
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().device.id, token: res.json().token };
}

function as(t: TestApp, token: string) {
  return (method: 'GET' | 'DELETE', url: string): Promise<Res> => t.req(method, url, undefined, { auth: false, headers: { authorization: `Bearer ${token}` } });
}

describe('GET /api/v1/devices/me', () => {
  let t: TestApp;
  let bar: { id: string; currency: string };
  beforeAll(async () => {
    t = await makeApp();
    apps.push(t);
    const settings = await t.req('PATCH', '/api/v1/settings', { merchantName: 'Café Rosa', timeZone: 'Europe/Vienna', country: 'AT' });
    expect(settings.status, settings.text).toBe(200);
    const pos = await t.req('POST', '/api/v1/points-of-sale', { name: 'Bar', currency: 'CHF' });
    expect(pos.status, pos.text).toBe(201);
    bar = pos.body;
  });

  it('a counter gets itself, its own point of sale (not the default one) and the shop’s formatting settings', async () => {
    const counter = await pairDevice(t, 'counter', bar.id, 'Till 2');
    const res = await as(t, counter.token)('GET', '/api/v1/devices/me');
    expect(res.status, res.text).toBe(200);
    expect(res.body.device).toEqual({ id: counter.id, name: 'Till 2', role: 'counter', pointOfSaleId: bar.id });
    expect(res.body.pointOfSale).toMatchObject({ id: bar.id, name: 'Bar', currency: 'CHF', isDefault: false });
    expect(res.body.merchant).toEqual({ merchantName: 'Café Rosa', timeZone: 'Europe/Vienna', defaultCurrency: expect.any(String), country: 'AT', defaultLocale: expect.any(String) });
    // Only the formatting fields: no settings section (bank, SMTP, Stripe…) reaches a device.
    expect(Object.keys(res.body)).toEqual(['device', 'pointOfSale', 'merchant']);
    expect(String(res.headers['cache-control'])).toContain('no-store');
    // What it may not read, it still may not.
    expectProblem(await as(t, counter.token)('GET', '/api/v1/settings'), 403, 'forbidden');
    expectProblem(await as(t, counter.token)('GET', '/api/v1/points-of-sale'), 403, 'forbidden');
  });

  it('a display gets its own point of sale too', async () => {
    const display = await pairDevice(t, 'display', bar.id, 'Tablet');
    const res = await as(t, display.token)('GET', '/api/v1/devices/me');
    expect(res.status, res.text).toBe(200);
    expect(res.body.device).toEqual({ id: display.id, name: 'Tablet', role: 'display', pointOfSaleId: bar.id });
    expect(res.body.pointOfSale.id).toBe(bar.id);
  });

  it('an API key, the owner and a cashier are not devices: 403 forbidden', async () => {
    expectProblem(await t.req('GET', '/api/v1/devices/me'), 403, 'forbidden');
    const user = await t.req('POST', '/api/v1/staff-users', { name: 'Cleo', role: 'cashier', pin: '482913' });
    expect(user.status, user.text).toBe(201);
    const login = await t.app.server.inject({
      method: 'POST',
      url: '/staff/login',
      headers: { ...CSRF, 'content-type': 'application/json' },
      payload: JSON.stringify({ method: 'pin', pin: '482913', userId: user.body.id }),
      remoteAddress: '10.7.0.2',
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expectProblem(await t.req('GET', '/api/v1/devices/me', undefined, { auth: false, headers: { cookie } }), 403, 'forbidden');
  });

  it('a revoked device gets 401 at once', async () => {
    const counter = await pairDevice(t, 'counter', bar.id, 'Till 3');
    expect((await as(t, counter.token)('GET', '/api/v1/devices/me')).status).toBe(200);
    expect((await t.req('DELETE', `/api/v1/devices/${counter.id}`)).status).toBe(204);
    expectProblem(await as(t, counter.token)('GET', '/api/v1/devices/me'), 401, 'unauthorized');
  });
});
