import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createLink, expectProblem, expectValidation, linkCount, makeApp, pay, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.close();
});

const count = (table: string) => countRows(t.app.core, table);

describe('Idempotency-Key', () => {
  const creators: [string, string, () => unknown, () => unknown, string][] = [
    ['POST /links', '/api/v1/links', () => ({ name: 'Once', amount: '9.99' }), () => ({ name: 'Once', amount: '10.00' }), 'links'],
    ['POST /charges', '/api/v1/charges', () => ({ amount: '4.20', reference: 'T-1' }), () => ({ amount: '4.21', reference: 'T-1' }), 'links'],
    ['POST /points-of-sale', '/api/v1/points-of-sale', () => ({ name: 'Bar' }), () => ({ name: 'Kitchen' }), 'points_of_sale'],
  ];

  it.each(creators)('%s: the same key and body replay the first response; another body is 409', async (_label, url, body, other, table) => {
    const key = `key-${url}-${Math.random()}`;
    const before = await count(table);
    const eventsBefore = await t.app.core.events.lastId();
    const first = await t.req('POST', url, body(), { headers: { 'idempotency-key': key } });
    expect(first.status, first.text).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const eventsAfterFirst = await t.app.core.events.lastId();
    expect(eventsAfterFirst).toBeGreaterThan(eventsBefore);

    t.clock!.advance(1000); // a replay is the stored answer, not a fresh one with a new updatedAt
    for (let i = 0; i < 3; i++) {
      const again = await t.req('POST', url, body(), { headers: { 'idempotency-key': key } });
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(await count(table)).toBe(before + 1);
    expect(await t.app.core.events.lastId()).toBe(eventsAfterFirst);

    const conflict = await t.req('POST', url, other(), { headers: { 'idempotency-key': key } });
    expectProblem(conflict, 409, 'idempotency-conflict');
    expect(await count(table)).toBe(before + 1);

    // Without a key, or with another key, the same body creates again.
    expect((await t.req('POST', url, body())).status).toBe(201);
    expect((await t.req('POST', url, body(), { headers: { 'idempotency-key': `${key}-2` } })).status).toBe(201);
    expect(await count(table)).toBe(before + 3);
  });

  it('treats a body with the same fields in another order as the same request', async () => {
    const before = await linkCount(t);
    const a = await t.req('POST', '/api/v1/links', { name: 'Order', amount: '1.00' }, { headers: { 'idempotency-key': 'order-key' } });
    expect(a.status).toBe(201);
    const b = await t.req('POST', '/api/v1/links', { amount: '1.00', name: 'Order' }, { headers: { 'idempotency-key': 'order-key' } });
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    expect(await linkCount(t)).toBe(before + 1);
  });

  it('does not keep a refused request: the key may be retried with a corrected body', async () => {
    const before = await linkCount(t);
    expectValidation(await t.req('POST', '/api/v1/links', { name: '' }, { headers: { 'idempotency-key': 'retry-me' } }), 'name');
    const ok = await t.req('POST', '/api/v1/links', { name: 'Fixed' }, { headers: { 'idempotency-key': 'retry-me' } });
    expect(ok.status).toBe(201);
    expect(await linkCount(t)).toBe(before + 1);
  });

  it('keeps keys apart per route', async () => {
    const link = await t.req('POST', '/api/v1/links', { name: 'Shared key' }, { headers: { 'idempotency-key': 'shared' } });
    const pos = await t.req('POST', '/api/v1/points-of-sale', { name: 'Shared key' }, { headers: { 'idempotency-key': 'shared' } });
    expect(link.status).toBe(201);
    expect(pos.status).toBe(201);
    expect(pos.body.id).toMatch(/^pos_/);
  });

  it('refuses an over-long key with 422', async () => {
    expectProblem(await t.req('POST', '/api/v1/links', { name: 'x' }, { headers: { 'idempotency-key': 'k'.repeat(256) } }), 422, 'validation-error');
  });

  it('replays refunds: the same key refunds once', async () => {
    const link = await createLink(t, { amount: '10.00' });
    const payment = await pay(t, link.id, 'succeeded');
    const url = `/api/v1/payments/${payment.id}/refund`;
    const first = await t.req('POST', url, { amount: '3.00' }, { headers: { 'idempotency-key': 'refund-1' } });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ status: 'partially_refunded', refundedAmount: '3.00' });
    const again = await t.req('POST', url, { amount: '3.00' }, { headers: { 'idempotency-key': 'refund-1' } });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await t.req('GET', `/api/v1/payments/${payment.id}`)).body.refundedAmount).toBe('3.00');
    expectProblem(await t.req('POST', url, { amount: '4.00' }, { headers: { 'idempotency-key': 'refund-1' } }), 409, 'idempotency-conflict');
    // A new key is a new refund.
    const second = await t.req('POST', url, { amount: '3.00' }, { headers: { 'idempotency-key': 'refund-2' } });
    expect(second.body.refundedAmount).toBe('6.00');
    const refunds = (await t.app.core.events.after(0, 100_000)).filter((e) => e.type === 'payment.refunded' && (e.data as { id: string }).id === payment.id);
    expect(refunds).toHaveLength(2);
  });
});
