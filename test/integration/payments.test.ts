import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, expectProblem, expectValidation, makeApp, pay, type TestApp } from './helpers';

const PAYMENT_KEYS = ['id', 'linkId', 'refId', 'status', 'amount', 'currency', 'method', 'reference', 'payer', 'metadata', 'refundedAmount', 'createdAt', 'completedAt'];

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.close();
});

describe('payments', () => {
  it('numbers refIds per link BASE-0001, BASE-0002 … and shows them over HTTP', async () => {
    const link = await createLink(t, { reuse: 'multiple', refIdBase: 'BASE', amount: '5.00', metadata: { shop: 'north' } });
    const a = await pay(t, link.id, 'succeeded', { data: { customer_id: '42', shop: 'south' }, payer: { name: 'Ann', email: 'ann@example.com' }, reference: 'R-7' });
    t.clock!.advance(1000);
    const b = await pay(t, link.id, 'failed');
    t.clock!.advance(1000);
    const c = await pay(t, link.id);
    const res = await t.req('GET', `/api/v1/payments?linkId=${link.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((p: { refId: string }) => p.refId)).toEqual(['BASE-0003', 'BASE-0002', 'BASE-0001']);
    expect(res.body.nextCursor).toBeNull();
    const first = (await t.req('GET', `/api/v1/payments/${a.id}`)).body;
    for (const key of PAYMENT_KEYS) expect(first).toHaveProperty(key);
    expect(first).toEqual({
      id: a.id,
      linkId: link.id,
      refId: 'BASE-0001',
      status: 'succeeded',
      amount: '5.00',
      tipAmount: '0.00',
      currency: 'EUR',
      method: 'simulator',
      reference: 'R-7',
      payer: { name: 'Ann', email: 'ann@example.com' },
      metadata: { customer_id: '42', shop: 'north' }, // the link's own keys win
      refundedAmount: '0.00',
      livemode: false,
      providerReference: null,
      createdAt: '2026-01-15T10:00:00.000Z',
      completedAt: '2026-01-15T10:00:00.000Z',
    });
    expect(first.id).toMatch(/^pay_[0-9A-Za-z]{22,}$/);
    expect((await t.req('GET', `/api/v1/payments/${b.id}`)).body).toMatchObject({ refId: 'BASE-0002', status: 'failed', payer: null });
    expect((await t.req('GET', `/api/v1/payments/${c.id}`)).body).toMatchObject({ refId: 'BASE-0003', status: 'pending', completedAt: null });
  });

  it('answers 404 for an unknown payment', async () => {
    expectProblem(await t.req('GET', '/api/v1/payments/pay_unknown'), 404, 'not-found');
    expectProblem(await t.req('POST', '/api/v1/payments/pay_unknown/refund', {}), 404, 'not-found');
  });

  it('lists with filters linkId, status, createdAfter, createdBefore, newest first, and pages', async () => {
    const lt = await makeApp();
    try {
      const one = await createLink(lt, { reuse: 'multiple', amount: '1.00' });
      const two = await createLink(lt, { reuse: 'multiple', amount: '2', currency: 'JPY' });
      const made: { id: string; linkId: string; status: string; at: string }[] = [];
      for (let i = 0; i < 9; i++) {
        const link = i % 3 === 2 ? two : one;
        const outcome = i % 4 === 0 ? 'failed' : 'succeeded';
        const p = await pay(lt, link.id, outcome);
        made.push({ id: p.id, linkId: link.id, status: p.status, at: new Date(lt.clock!.now()).toISOString() });
        lt.clock!.advance(60_000);
      }
      const newestFirst = [...made].reverse();
      const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((p) => p.id);

      const all = await lt.req('GET', '/api/v1/payments');
      expect(ids(all)).toEqual(newestFirst.map((p) => p.id));
      expect(ids(await lt.req('GET', `/api/v1/payments?linkId=${two.id}`))).toEqual(newestFirst.filter((p) => p.linkId === two.id).map((p) => p.id));
      expect(ids(await lt.req('GET', '/api/v1/payments?status=failed'))).toEqual(newestFirst.filter((p) => p.status === 'failed').map((p) => p.id));
      expect(ids(await lt.req('GET', `/api/v1/payments?status=succeeded&linkId=${one.id}`))).toEqual(
        newestFirst.filter((p) => p.status === 'succeeded' && p.linkId === one.id).map((p) => p.id),
      );
      expect(ids(await lt.req('GET', `/api/v1/payments?createdAfter=${made[5]!.at}`))).toEqual(newestFirst.slice(0, 3).map((p) => p.id));
      expect(ids(await lt.req('GET', `/api/v1/payments?createdBefore=${made[2]!.at}`))).toEqual(newestFirst.slice(7).map((p) => p.id));
      expect(ids(await lt.req('GET', `/api/v1/payments?createdAfter=${made[2]!.at}&createdBefore=${made[5]!.at}`))).toEqual([made[4]!.id, made[3]!.id]);
      expect(ids(await lt.req('GET', '/api/v1/payments?linkId=pl_unknown'))).toEqual([]);
      // JPY amounts keep their exponent.
      expect((await lt.req('GET', `/api/v1/payments?linkId=${two.id}&limit=1`)).body.data[0].amount).toBe('2');

      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await lt.req('GET', `/api/v1/payments?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, res.text).toBe(200);
        sizes.push(res.body.data.length);
        seen.push(...ids(res));
        cursor = res.body.nextCursor;
      } while (cursor && sizes.length < 10);
      expect(sizes).toEqual([4, 4, 1]);
      expect(seen).toEqual(newestFirst.map((p) => p.id));

      for (const q of ['limit=0', 'limit=500', 'status=paid', 'createdAfter=now', 'cursor=bogus', 'foo=bar']) {
        expectValidation(await lt.req('GET', `/api/v1/payments?${q}`), q.split('=')[0]!);
      }
    } finally {
      await lt.close();
    }
  });

  describe('refunds', () => {
    it('refunds partially, then the rest, then refuses more with 409', async () => {
      const link = await createLink(t, { amount: '10.00' });
      const p = await pay(t, link.id, 'succeeded');
      const url = `/api/v1/payments/${p.id}/refund`;
      const part = await t.req('POST', url, { amount: '2.50' });
      expect(part.status, part.text).toBe(200);
      expect(part.body).toMatchObject({ id: p.id, status: 'partially_refunded', refundedAmount: '2.50', amount: '10.00' });
      const more = await t.req('POST', url, { amount: 3 });
      expect(more.body).toMatchObject({ status: 'partially_refunded', refundedAmount: '5.50' });
      const over = expectProblem(await t.req('POST', url, { amount: '4.51' }), 409, 'refund-exceeds-remaining');
      expect(over.refundable).toBe('4.50');
      const rest = await t.req('POST', url);
      expect(rest.status, rest.text).toBe(200);
      expect(rest.body).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
      expectProblem(await t.req('POST', url, { amount: '0.01' }), 409, 'payment-not-refundable');
      expectProblem(await t.req('POST', url, {}), 409, 'payment-not-refundable');
      expect((await t.req('GET', `/api/v1/payments/${p.id}`)).body).toMatchObject({ status: 'refunded', refundedAmount: '10.00' });
      const types = (await t.app.core.events.after(0, 100_000)).filter((e) => (e.data as { id?: string }).id === p.id).map((e) => e.type);
      expect(types).toEqual(['payment.created', 'payment.succeeded', 'payment.refunded', 'payment.refunded', 'payment.refunded']);
      // The link still counts the payment as used.
      expect((await t.req('GET', `/api/v1/links/${link.id}`)).body.status).toBe('consumed');
    });

    it('refunds the whole payment by default', async () => {
      const link = await createLink(t, { amount: '7.000', currency: 'BHD' });
      const p = await pay(t, link.id, 'succeeded');
      const res = await t.req('POST', `/api/v1/payments/${p.id}/refund`, {});
      expect(res.body).toMatchObject({ status: 'refunded', refundedAmount: '7.000' });
    });

    it('refuses a refund above the amount at once with 409', async () => {
      const link = await createLink(t, { amount: '10.00' });
      const p = await pay(t, link.id, 'succeeded');
      expectProblem(await t.req('POST', `/api/v1/payments/${p.id}/refund`, { amount: '10.01' }), 409, 'refund-exceeds-remaining');
      expect((await t.req('GET', `/api/v1/payments/${p.id}`)).body).toMatchObject({ status: 'succeeded', refundedAmount: '0.00' });
    });

    it('refuses refunds of pending, failed, abandoned and cancelled payments with 409', async () => {
      const pending = await pay(t, (await createLink(t)).id);
      const failed = await pay(t, (await createLink(t)).id, 'failed');
      const abandoned = await pay(t, (await createLink(t)).id, 'abandoned');
      const toCancel = await createLink(t);
      const cancelled = await pay(t, toCancel.id);
      await t.req('POST', `/api/v1/links/${toCancel.id}/cancel`);
      for (const [p, status] of [[pending, 'pending'], [failed, 'failed'], [abandoned, 'abandoned'], [cancelled, 'cancelled']] as const) {
        const body = expectProblem(await t.req('POST', `/api/v1/payments/${p.id}/refund`, { amount: '1.00' }), 409, 'payment-not-refundable');
        expect(body.paymentStatus).toBe(status);
        expect((await t.req('GET', `/api/v1/payments/${p.id}`)).body.status).toBe(status);
      }
    });

    it('validates the refund amount', async () => {
      const p = await pay(t, (await createLink(t, { amount: '10.00' })).id, 'succeeded');
      for (const amount of ['0', '-1', '1.001', 'abc', 0, true, {}]) {
        expectValidation(await t.req('POST', `/api/v1/payments/${p.id}/refund`, { amount }), 'amount');
      }
      expectValidation(await t.req('POST', `/api/v1/payments/${p.id}/refund`, { amount: '1.00', reason: 'x' }), 'reason');
      expect((await t.req('GET', `/api/v1/payments/${p.id}`)).body.refundedAmount).toBe('0.00');
    });
  });
});

describe('payments search (q)', () => {
  it('finds by refId, reference, payer name or email in any case, and by amount; other modes and non-matches stay out', async () => {
    const link = await createLink(t, { reuse: 'multiple', refIdBase: 'SRCH', amount: null, name: 'Search link' });
    const a = await pay(t, link.id, 'succeeded', { amount: '12.50', reference: 'Tisch 4', payer: { name: 'Jürgen Groß', email: 'jg@example.com' } });
    const b = await pay(t, link.id, 'succeeded', { amount: '7.00', reference: '100%_done', payer: { name: 'Ann Lee', email: 'ann@shop.example' } });
    const found = async (q: string) => {
      const res = await t.req('GET', `/api/v1/payments?linkId=${link.id}&q=${encodeURIComponent(q)}`);
      expect(res.status, res.text).toBe(200);
      return res.body.data.map((p: { id: string }) => p.id).sort();
    };
    expect(await found(a.refId.toLowerCase())).toEqual([a.id]);
    expect(await found('TISCH')).toEqual([a.id]);
    expect(await found('jürgen')).toEqual([a.id]);
    expect(await found('SHOP.EXAMPLE')).toEqual([b.id]);
    expect(await found('12.50')).toEqual([a.id]);
    expect(await found('12,5')).toEqual([a.id]);
    expect(await found('7')).toEqual([b.id]);
    // LIKE's own wildcards are plain characters in a search.
    expect(await found('%_')).toEqual([b.id]);
    expect(await found('_')).toEqual([b.id]);
    expect(await found('nobody')).toEqual([]);
    expect(await found('srch-')).toEqual([a.id, b.id].sort());
  });

  it('an empty or overlong q is a 422 naming q', async () => {
    expectValidation(await t.req('GET', '/api/v1/payments?q='), 'q');
    expectValidation(await t.req('GET', `/api/v1/payments?q=${'x'.repeat(101)}`), 'q');
  });
});
