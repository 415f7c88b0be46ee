/**
 * The PIN lock-out under a parallel attack: every attempt is counted before the PIN is checked,
 * per address and per account, so a burst of guesses gets at most the allowed few checks (spied
 * on `verifyPin`, which runs scrypt) and the right PIN is refused afterwards too.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeApp, type TestApp } from './helpers';
import { DEFAULT_LOGIN_LIMITS } from '../../server/staff/limiter';
import { API_KEY } from '../support/keys';

const PIN = '97531';
const HEADERS = { 'x-counterlink-csrf': '1', 'content-type': 'application/json' };
const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

async function appWithPin(): Promise<TestApp> {
  const t = await makeApp();
  apps.push(t);
  expect((await t.req('PUT', '/api/v1/staff/pin', { pin: PIN })).status).toBe(200);
  return t;
}

function login(t: TestApp, pin: string, ip: string) {
  return t.app.server.inject({ method: 'POST', url: '/staff/login', headers: HEADERS, payload: JSON.stringify({ method: 'pin', pin }), remoteAddress: ip });
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

describe('PIN guessing in parallel', () => {
  it('1,000 parallel wrong guesses from one address: at most 5 are checked, and then the right PIN is refused too', async () => {
    const t = await appWithPin();
    const verify = vi.spyOn(t.app.core.sessions, 'verifyPin');
    const ip = '10.9.9.9';
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => login(t, String(10000 + i), ip)));
    const max = DEFAULT_LOGIN_LIMITS.address.maxFailures;
    expect(verify.mock.calls.length).toBeLessThanOrEqual(max);
    expect(tally(results.map((r) => r.statusCode))).toEqual({ 401: verify.mock.calls.length, 429: 1000 - verify.mock.calls.length });
    const refused = results.find((r) => r.statusCode === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ type: 'rate-limited', status: 429 });

    const right = await login(t, PIN, ip);
    expect(right.statusCode).toBe(429);
    expect(right.headers['set-cookie']).toBeUndefined();
    expect(verify.mock.calls.length).toBeLessThanOrEqual(max);
    // The account has used its 5 failures too (API.md: per staff user and per address), so the
    // right PIN is refused from another address as well, until the window has passed.
    expect((await login(t, PIN, '10.9.9.10')).statusCode).toBe(429);
  });

  it('1,000 parallel wrong guesses from 1,000 addresses: at most the account limit is checked, then the right PIN is refused from anywhere', async () => {
    const t = await appWithPin();
    const verify = vi.spyOn(t.app.core.sessions, 'verifyPin');
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => login(t, String(10000 + i), `10.8.${i >> 8}.${i & 255}`)));
    const max = DEFAULT_LOGIN_LIMITS.account.maxFailures;
    expect(verify.mock.calls.length).toBeLessThanOrEqual(max);
    expect(tally(results.map((r) => r.statusCode))).toEqual({ 401: verify.mock.calls.length, 429: 1000 - verify.mock.calls.length });

    const right = await login(t, PIN, '10.7.0.1');
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    // An API key login (a 190-bit secret, no account to guess) still works from a fresh address.
    const withKey = await t.app.server.inject({ method: 'POST', url: '/staff/login', headers: HEADERS, payload: JSON.stringify({ method: 'apiKey', apiKey: API_KEY }), remoteAddress: '10.7.0.2' });
    expect(withKey.statusCode).toBe(200);
  });
});
