/**
 * A tablet paired as a display (issue 11, brief H1b): it reads its display's state and stream
 * with its device token (API.md: "a display device's token may read its display's state and
 * stream"), so the hub sees its last contact; revoking it closes the open stream and every later
 * read is a 401. Without a token the display stays public and read-only, as before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectProblem, listen, makeApp, type Res, type TestApp } from './helpers';
import { SseClient } from '../support/sse-client';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

async function pairDisplay(t: TestApp, pointOfSaleId: string, role: 'display' | 'counter' = 'display'): Promise<{ id: string; token: string }> {
  const code = (await t.req('POST', '/api/v1/pairing-codes', { role, pointOfSaleId })).body.code as string;
  const res = await t.app.server.inject({ method: 'POST', url: '/devices/pair', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ code, name: 'Display tablet' }) });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return { id: body.device.id, token: body.token };
}

function state(t: TestApp, posId: string, token?: string): Promise<Res> {
  return t.req('GET', `/display/${posId}/state`, undefined, { auth: false, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('a display tablet paired over HTTP', () => {
  it('reads its state and stream with its token, shows up with its last contact, and is cut off when revoked', async () => {
    const t = await makeApp();
    apps.push(t);
    const base = await listen(t);
    const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id as string;
    const other = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Terrace' })).body.id as string;
    const tablet = await pairDisplay(t, pos);

    // Public as before for an unpaired browser; with the token, the same state.
    expect((await state(t, pos)).status).toBe(200);
    const mine = await state(t, pos, tablet.token);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body).toMatchObject({ mode: 'idle' });
    // Only its own point of sale; a made-up token is a 401, not the public page.
    expectProblem(await state(t, other, tablet.token), 403, 'forbidden');
    expectProblem(await state(t, pos, 'cld_notarealtoken'), 401, 'unauthorized');
    expectProblem(await state(t, pos, 'clk_test_whatever'), 401, 'unauthorized');

    // Its last contact is recorded when it reads (at most once a minute).
    t.clock!.advance(5 * 60_000);
    expect((await state(t, pos, tablet.token)).status).toBe(200);
    const listed = (await t.req('GET', '/api/v1/devices')).body.data.find((d: { id: string }) => d.id === tablet.id);
    expect(listed).toMatchObject({ name: 'Display tablet', role: 'display', pointOfSaleId: pos, lastSeenAt: new Date(t.clock!.now()).toISOString() });

    // The stream with the token: the current state, then a charge's QR.
    const stream = new SseClient();
    await stream.open(`${base}/display/${pos}/events`, { authorization: `Bearer ${tablet.token}` });
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.events.length >= 1, 'the current state');
    const charge = (await t.req('POST', '/api/v1/charges', { amount: '3.20', pointOfSaleId: pos })).body;
    await stream.waitFor(() => stream.events.some((e) => (e.data as unknown as { link?: { url: string } }).link?.url === charge.url), 'the charge on the display');
    const publicStream = new SseClient();
    await publicStream.open(`${base}/display/${pos}/events`, {});
    expect(publicStream.status).toBe(200);

    // Revoked on the hub: its stream closes at once, every read after is a 401; the public page stays.
    expect((await t.req('DELETE', `/api/v1/devices/${tablet.id}`)).status).toBe(204);
    await stream.waitFor(() => stream.ended, 'the tablet’s stream to close');
    expectProblem(await state(t, pos, tablet.token), 401, 'unauthorized');
    const again = new SseClient();
    await again.open(`${base}/display/${pos}/events`, { authorization: `Bearer ${tablet.token}` });
    expect(again.status).toBe(401);
    again.close();
    expect(publicStream.ended).toBe(false);
    expect((await state(t, pos)).status).toBe(200);
    publicStream.close();
    stream.close();
  });

  it('a counter’s token reads its own display too; another till’s revocation leaves it open', async () => {
    const t = await makeApp();
    apps.push(t);
    const base = await listen(t);
    const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id as string;
    const till = await pairDisplay(t, pos, 'counter');
    const tablet = await pairDisplay(t, pos);
    const stream = new SseClient();
    await stream.open(`${base}/display/${pos}/events`, { authorization: `Bearer ${tablet.token}` });
    expect((await state(t, pos, till.token)).status).toBe(200);
    expect((await t.req('DELETE', `/api/v1/devices/${till.id}`)).status).toBe(204);
    const charge = (await t.req('POST', '/api/v1/charges', { amount: '1.00', pointOfSaleId: pos })).body;
    await stream.waitFor(() => stream.events.some((e) => (e.data as unknown as { link?: { url: string } }).link?.url === charge.url), 'the charge after the other revocation');
    expect(stream.ended).toBe(false);
    stream.close();
  });
});
