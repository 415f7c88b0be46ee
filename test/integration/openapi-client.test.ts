import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAPI3 } from 'openapi-typescript';
import type { paths } from '../support/openapi';
import { openApiTypes, TYPES_FILE } from '../support/openapi-types';
import { AUTH, listen, makeApp, type TestApp } from './helpers';

/**
 * A client generated from the served document works: types by openapi-typescript
 * (test/support/openapi.d.ts, `npm run openapi:types`), requests by openapi-fetch, against a
 * listening server. The type checker (npm run typecheck) checks the calls below against them.
 */

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await makeApp();
  base = await listen(t);
});
afterAll(async () => {
  await t.close();
});

describe('a client generated from the OpenAPI document', () => {
  it('is generated from the document the server serves now (else: npm run openapi:types)', async () => {
    const doc = (await t.req('GET', '/api/openapi.json', undefined, { auth: false })).body as OpenAPI3;
    const fresh = (await openApiTypes(doc)).split('\n');
    const committed = readFileSync(TYPES_FILE, 'utf8').split('\n');
    let line = 0;
    while (line < Math.max(fresh.length, committed.length) && fresh[line] === committed[line]) line++;
    expect(
      { line: line + 1, committed: committed[line], served: fresh[line] },
      'test/support/openapi.d.ts does not match the served document: run `npm run openapi:types`',
    ).toEqual({ line: line + 1, committed: undefined, served: undefined });
  });

  it('creates, reads, lists and pays a link, and gets typed problems', async () => {
    // JSON bodies: application/json and application/problem+json (images and pages are for browsers).
    const api = createClient<paths, `${string}/${string}json`>({ baseUrl: base, headers: AUTH });

    const created = await api.POST('/api/v1/links', {
      body: { name: 'Table 7', amount: '18.40', reference: 'ORDER-7', metadata: { table: '7' } },
      headers: { 'Idempotency-Key': 'generated-client-1' },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const link = created.data!;
    expect(link).toMatchObject({ name: 'Table 7', amount: '18.40', currency: 'EUR', status: 'enabled', reuse: 'single' });

    const read = await api.GET('/api/v1/links/{id}', { params: { path: { id: link.id }, query: { data: { order: '7' } } } });
    expect(read.data?.id).toBe(link.id);
    expect(new URL(read.data!.url).searchParams.get('data[order]')).toBe('7');

    const listed = await api.GET('/api/v1/links', { params: { query: { q: 'Table 7', status: 'enabled', limit: 10 } } });
    expect(listed.data?.data.map((l) => l.id)).toEqual([link.id]);
    expect(listed.data?.nextCursor).toBeNull();

    // The customer's side: start a payment on the link, then approve it at the simulator.
    const started = await api.POST('/pay-by-link/{linkId}/payments', { params: { path: { linkId: link.id } }, body: { payer: { name: 'Ada', email: 'ada@example.com' } } });
    expect(started.response.status, JSON.stringify(started.error)).toBe(201);
    const payment = started.data!.payment;
    expect(payment).toMatchObject({ linkId: link.id, status: 'pending', amount: '18.40' });
    const next = started.data!.next;
    expect(next.type).toBe('redirect');
    if (next.type === 'redirect') expect(next.url).toContain(`/sim/checkout/${payment.id}`);

    const approved = await api.POST('/sim/checkout/{paymentId}', { params: { path: { paymentId: payment.id } }, body: { outcome: 'succeeded' } });
    expect(approved.data?.payment.status).toBe('succeeded');

    const paid = await api.GET('/api/v1/payments/{id}', { params: { path: { id: payment.id } } });
    expect(paid.data).toMatchObject({ id: payment.id, status: 'succeeded', refId: expect.stringMatching(/-0001$/) });
    const after = await api.GET('/api/v1/links/{id}', { params: { path: { id: link.id } } });
    expect(after.data).toMatchObject({ status: 'consumed', usage: { count: 1, amount: '18.40' } });

    // Errors arrive as the declared Problem.
    const missing = await api.GET('/api/v1/links/{id}', { params: { path: { id: 'lnk_nope' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem: { type: string; status: number } | undefined = missing.error;
    expect(problem).toMatchObject({ type: 'not-found', status: 404 });
    const again = await api.POST('/pay-by-link/{linkId}/payments', { params: { path: { linkId: link.id } }, body: {} });
    expect(again.error).toMatchObject({ type: 'link-not-usable', status: 409 });
  });
});
