import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, START, createLink, expectProblem, expectValidation, makeApp, pay, countRows, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp({ displayResultMs: 6000 });
});
afterAll(async () => {
  await t.close();
});

const displayEvents = async (after: number) =>
  (await t.app.core.events.after(after, 100_000)).filter((e) => e.type === 'display.updated').map((e) => e.data as { mode: string; linkId: string | null; paymentId: string | null; pointOfSaleId: string });

describe('points of sale', () => {
  it('has one default point of sale on a new install', async () => {
    const res = await t.req('GET', '/api/v1/points-of-sale');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ id: expect.stringMatching(/^pos_/), name: expect.any(String), currency: 'EUR', isDefault: true });
  });

  it('creates, gets and patches points of sale; one default at a time', async () => {
    const created = await t.req('POST', '/api/v1/points-of-sale', { name: 'Terrace', currency: 'CHF' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^pos_[0-9A-Za-z]{22,}$/), name: 'Terrace', currency: 'CHF', isDefault: false });
    const id = created.body.id;
    expect((await t.req('GET', `/api/v1/points-of-sale/${id}`)).body).toEqual(created.body);

    t.clock!.advance(1000);
    const patched = await t.req('PATCH', `/api/v1/points-of-sale/${id}`, { name: 'Garden', currency: 'EUR' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ id, name: 'Garden', currency: 'EUR', isDefault: false });
    expect(patched.body.updatedAt).not.toBe(created.body.updatedAt);

    const oldDefault = (await t.req('GET', '/api/v1/points-of-sale')).body.data.find((p: { isDefault: boolean }) => p.isDefault);
    expect((await t.req('PATCH', `/api/v1/points-of-sale/${id}`, { isDefault: true })).body.isDefault).toBe(true);
    const list = (await t.req('GET', '/api/v1/points-of-sale')).body.data;
    expect(list.filter((p: { isDefault: boolean }) => p.isDefault).map((p: { id: string }) => p.id)).toEqual([id]);
    // New links go to the new default; switch back.
    expect((await createLink(t)).pointOfSaleId).toBe(id);
    expect((await t.req('PATCH', `/api/v1/points-of-sale/${oldDefault.id}`, { isDefault: true })).status).toBe(200);

    // A link on a CHF point of sale defaults to CHF.
    const chf = await t.req('POST', '/api/v1/points-of-sale', { name: 'Zurich', currency: 'CHF' });
    const link = await createLink(t, { pointOfSaleId: chf.body.id, amount: '5' });
    expect(link).toMatchObject({ currency: 'CHF', amount: '5.00' });
  });

  it('validates points of sale', async () => {
    expectValidation(await t.req('POST', '/api/v1/points-of-sale', {}), 'name');
    expectValidation(await t.req('POST', '/api/v1/points-of-sale', { name: '' }), 'name');
    expectValidation(await t.req('POST', '/api/v1/points-of-sale', { name: 'x', currency: 'ABC' }), 'currency');
    expectValidation(await t.req('POST', '/api/v1/points-of-sale', { name: 'x', extra: 1 }), 'extra');
    const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data[0].id;
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${pos}`, { isDefault: false }), 'isDefault');
    expectValidation(await t.req('PATCH', `/api/v1/points-of-sale/${pos}`, { currency: 'eur' }), 'currency');
    expectProblem(await t.req('PATCH', `/api/v1/points-of-sale/${pos}`, {}), 422, 'validation-error');
    expectProblem(await t.req('PATCH', '/api/v1/points-of-sale/pos_unknown', { name: 'x' }), 404, 'not-found');
    expectProblem(await t.req('GET', '/api/v1/points-of-sale/pos_unknown'), 404, 'not-found');
  });
});

describe('charges and the counter display', () => {
  it('creates a single-use link expiring in 15 minutes and shows it on the display; follows the payment', async () => {
    const pos = (await t.req('GET', '/api/v1/points-of-sale')).body.data.find((p: { isDefault: boolean }) => p.isDefault).id;
    const idle = await t.req('GET', '/api/v1/display');
    expect(idle.status).toBe(200);

    const after = await t.app.core.events.lastId();
    const now = t.clock!.now();
    const res = await t.req('POST', '/api/v1/charges', { amount: '4.20', reference: 'Table 4' });
    expect(res.status, res.text).toBe(201);
    const link = res.body;
    expect(link).toMatchObject({
      id: expect.stringMatching(/^pl_/),
      type: 'payment',
      status: 'enabled',
      amount: '4.20',
      currency: 'EUR',
      reuse: 'single',
      reference: 'Table 4',
      pointOfSaleId: pos,
      expiresAt: new Date(now + 15 * 60_000).toISOString(),
      url: `${BASE_URL}/en/pay-by-link/${link.id}`,
    });

    const shown = await t.req('GET', '/api/v1/display');
    expect(shown.body).toMatchObject({ pointOfSaleId: pos, mode: 'link', linkId: link.id, paymentId: null });
    expect(shown.body.link).toMatchObject({ id: link.id, status: 'enabled' });
    expect((await t.req('GET', `/api/v1/display?pointOfSaleId=${pos}`)).body).toEqual(shown.body);

    const payment = await pay(t, link.id);
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'link', linkId: link.id, paymentId: payment.id });

    await t.app.core.payments.complete(payment.id, 'succeeded');
    const result = (await t.req('GET', '/api/v1/display')).body;
    expect(result).toMatchObject({ mode: 'result', linkId: link.id, paymentId: payment.id });
    expect(result.payment).toMatchObject({ id: payment.id, status: 'succeeded' });

    // After the result time the display goes idle (the link is consumed).
    t.clock!.advance(6000);
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'idle', linkId: null, paymentId: null });

    const modes = (await displayEvents(after)).map((d) => `${d.mode}:${d.linkId === link.id ? 'L' : d.linkId}:${d.paymentId === payment.id ? 'P' : d.paymentId}`);
    expect(modes).toEqual(['link:L:null', 'link:L:P', 'result:L:P', 'idle:null:null']);
    for (const d of await displayEvents(after)) expect(d.pointOfSaleId).toBe(pos);
  });

  it('goes back to the link after a failed payment, and idle when the charge expires', async () => {
    const link = (await t.req('POST', '/api/v1/charges', { amount: 10, expiresInMinutes: 5 })).body;
    expect(link.amount).toBe('10.00');
    const failed = await pay(t, link.id, 'failed');
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'result', paymentId: failed.id });
    t.clock!.advance(6000);
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null });
    t.clock!.advance(5 * 60_000);
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'idle', linkId: null });
    expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('expired');
  });

  it('charges on another point of sale show on that display only', async () => {
    const other = (await t.req('POST', '/api/v1/points-of-sale', { name: 'Bar', currency: 'JPY' })).body;
    await t.req('POST', '/api/v1/display/clear', {});
    const link = (await t.req('POST', '/api/v1/charges', { amount: '500', pointOfSaleId: other.id })).body;
    expect(link).toMatchObject({ currency: 'JPY', amount: '500', pointOfSaleId: other.id });
    expect((await t.req('GET', `/api/v1/display?pointOfSaleId=${other.id}`)).body).toMatchObject({ mode: 'link', linkId: link.id });
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'idle' });
    const cleared = await t.req('POST', '/api/v1/display/clear', { pointOfSaleId: other.id });
    expect(cleared.body).toMatchObject({ pointOfSaleId: other.id, mode: 'idle', linkId: null, paymentId: null });
  });

  it('shows and clears a link on demand, each change emitting display.updated', async () => {
    const link = await createLink(t, { reuse: 'multiple' });
    const after = await t.app.core.events.lastId();
    const shown = await t.req('POST', '/api/v1/display/show', { linkId: link.id });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body).toMatchObject({ mode: 'link', linkId: link.id, paymentId: null, pointOfSaleId: link.pointOfSaleId });
    const cleared = await t.req('POST', '/api/v1/display/clear', { pointOfSaleId: link.pointOfSaleId });
    expect(cleared.body).toMatchObject({ mode: 'idle', linkId: null });
    // clear without a body: the default point of sale.
    const again = await t.req('POST', '/api/v1/display/clear');
    expect(again.status, again.text).toBe(200);
    expect((await displayEvents(after)).map((d) => d.mode)).toEqual(['link', 'idle', 'idle']);
    const sseShaped = (await t.app.core.events.after(after, 10)).map((e) => e.type);
    expect(sseShaped).toEqual(['display.updated', 'display.updated', 'display.updated']);
  });

  it('cancelling the link on show sets the display idle', async () => {
    const link = (await t.req('POST', '/api/v1/charges', { amount: '1.00' })).body;
    expect((await t.req('GET', '/api/v1/display')).body.linkId).toBe(link.id);
    await t.req('DELETE', `/api/v1/links/${link.id}`);
    expect((await t.req('GET', '/api/v1/display')).body).toMatchObject({ mode: 'idle' });
  });

  it('refuses to show a link that cannot be paid, and unknown ids', async () => {
    const link = await createLink(t);
    await t.req('POST', `/api/v1/links/${link.id}/cancel`);
    expect(expectProblem(await t.req('POST', '/api/v1/display/show', { linkId: link.id }), 409, 'link-not-usable').linkStatus).toBe('cancelled');
    expectProblem(await t.req('POST', '/api/v1/display/show', { linkId: 'pl_unknown' }), 404, 'not-found');
    expectValidation(await t.req('POST', '/api/v1/display/show', {}), 'linkId');
    expectProblem(await t.req('GET', '/api/v1/display?pointOfSaleId=pos_unknown'), 404, 'not-found');
    expectProblem(await t.req('POST', '/api/v1/display/clear', { pointOfSaleId: 'pos_unknown' }), 404, 'not-found');
  });

  it('validates charges', async () => {
    const before = await countRows(t.app.core, 'links');
    expectValidation(await t.req('POST', '/api/v1/charges', {}), 'amount');
    expectValidation(await t.req('POST', '/api/v1/charges', { amount: '0' }), 'amount');
    expectValidation(await t.req('POST', '/api/v1/charges', { amount: '1.001' }), 'amount');
    expectValidation(await t.req('POST', '/api/v1/charges', { amount: '1', expiresInMinutes: 0 }), 'expiresInMinutes');
    expectValidation(await t.req('POST', '/api/v1/charges', { amount: '1', expiresInMinutes: 1441 }), 'expiresInMinutes');
    expectValidation(await t.req('POST', '/api/v1/charges', { amount: '1', reuse: 'multiple' }), 'reuse');
    expectValidation(await t.req('POST', '/api/v1/charges', { amount: '1', currency: 'XYZ' }), 'currency');
    const unknownPos = await t.req('POST', '/api/v1/charges', { amount: '1', pointOfSaleId: 'pos_unknown' });
    expect([404, 422]).toContain(unknownPos.status);
    expect(String(unknownPos.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(unknownPos.text).toContain('pointOfSaleId');
    expect(await countRows(t.app.core, 'links')).toBe(before);
  });

  it('starts with an idle display', async () => {
    const fresh = await makeApp();
    try {
      const res = await fresh.req('GET', '/api/v1/display');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'idle', linkId: null, paymentId: null, link: null, payment: null, updatedAt: START });
    } finally {
      await fresh.close();
    }
  });
});
