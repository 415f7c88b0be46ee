import { connect } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_LOG, type ObservedResponse } from '../../server/http/contract';
import { checkResponse, mediaType, resolveResponse } from '../support/openapi-contract';
import { API_KEY, AUTH, createLink, expectProblem, listen, makeApp, type Res, type TestApp } from './helpers';

/**
 * The contract: the served OpenAPI document is valid, says how errors are sent, and declares
 * every status code and content type the server answers. (Every response of every integration
 * test is checked against it by test/support/response-contract.ts; this file makes sure the
 * interesting ones happen at least once.)
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await makeApp();
  doc = (await t.req('GET', '/api/openapi.json', undefined, { auth: false })).body;
});
afterAll(async () => {
  await t.close();
});

const operations = (): [string, string, any][] =>
  Object.entries<any>(doc.paths).flatMap(([path, ops]) => Object.entries<any>(ops).map(([method, op]): [string, string, any] => [method, path, op]));

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (swagger-parser)', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('describes data[…] on GET /api/v1/links/{id} as one deepObject parameter, and the server still injects it', async () => {
    for (const path of ['/api/v1/links/{id}', '/api/v1/links/{id}/qr']) {
      const params = doc.paths[path].get.parameters as any[];
      const names = params.map((p) => `${p.in}:${p.name}`);
      expect(names, path).not.toContain('query:type');
      expect(names, path).not.toContain('query:additionalProperties');
      expect(params.find((p) => p.name === 'data'), path).toMatchObject({ in: 'query', style: 'deepObject', explode: true, schema: { type: 'object' } });
    }
    const link = await createLink(t);
    const res = await t.req('GET', `/api/v1/links/${link.id}?data[order]=113&data[table]=4`);
    expect(res.status).toBe(200);
    expect(new URL(res.body.url).searchParams.get('data[order]')).toBe('113');
    expect(new URL(res.body.url).searchParams.get('data[table]')).toBe('4');
  });

  it('declares every error as application/problem+json (the customer dialog’s form posts also as HTML pages), never as application/json', () => {
    let errors = 0;
    for (const [method, path, op] of operations()) {
      for (const [status, declared] of Object.entries<any>(op.responses)) {
        if (Number(status) < 400) continue;
        const response: any = resolveResponse(doc, declared);
        errors++;
        const types = Object.keys(response.content ?? {});
        expect(types, `${method} ${path} ${status}`).not.toContain('application/json');
        expect(types.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const type of types) expect(['application/problem+json', 'text/html'], `${method} ${path} ${status}`).toContain(type);
        if (types.includes('application/problem+json')) expect(response.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('declares on every Service API operation 401, and on every change 403 (session cookie without the CSRF header)', () => {
    for (const [method, path, op] of operations()) {
      if (!path.startsWith('/api/v1/')) continue;
      expect(op.responses['401'], `${method} ${path}`).toBeDefined();
      if (method !== 'get') expect(op.responses['403'], `${method} ${path}`).toBeDefined();
      expect(op.responses['503'], `${method} ${path}`).toBeDefined();
    }
  });
});

describe('responses the server really gives are declared', () => {
  const log = (): ObservedResponse[] => (globalThis as any)[RESPONSE_LOG] as ObservedResponse[];

  it('records every response of the integration tests (test/support/response-contract.ts)', async () => {
    expect(Array.isArray(log())).toBe(true);
    const before = log().length;
    await t.req('GET', '/api/v1/settings');
    expect(log().length).toBe(before + 1);
    expect(log()[log().length - 1]).toMatchObject({ method: 'GET', route: '/api/v1/settings', status: 200, contentType: expect.stringMatching(/^application\/json/) });
  });

  it('answers a representative set of requests — success, redirects, pages, images and every kind of error — as the document says', async () => {
    const from = log().length;
    const seen: Res[] = [];
    const req = async (...args: Parameters<TestApp['req']>) => {
      const res = await t.req(...args);
      seen.push(res);
      return res;
    };
    const form = (fields: Record<string, string>) => ({ raw: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, auth: false });

    // Authentication and transport errors.
    expectProblem(await req('GET', '/api/v1/links', undefined, { auth: false }), 401, 'unauthorized');
    const login = await req('POST', '/staff/login', { method: 'apiKey', apiKey: API_KEY }, { auth: false, headers: { 'x-counterlink-csrf': '1' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    expectProblem(await req('POST', '/api/v1/links', { name: 'x' }, { auth: false, headers: { cookie } }), 403, 'forbidden');
    expectProblem(await req('POST', '/api/v1/links', undefined, { raw: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'bad-request');
    expectProblem(await req('POST', '/api/v1/links', undefined, { raw: 'name=x', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported-media-type');
    expectProblem(await req('POST', '/api/v1/links', undefined, { raw: JSON.stringify({ name: 'x'.repeat(2_000_000) }), headers: { 'content-type': 'application/json' } }), 413, 'payload-too-large');
    // The router refuses an over-long id before any route runs (no hook sees it): declared all the same.
    expectProblem(await t.req('GET', `/api/v1/links/${'a'.repeat(300)}`), 414, 'uri-too-long');
    expect(resolveResponse(doc, doc.paths['/api/v1/links/{id}'].get.responses['414'])!.content).toHaveProperty(['application/problem+json']);
    const invalid = expectProblem(await req('POST', '/api/v1/links', { amount: 'abc' }), 422, 'validation-error');
    expect(invalid.errors.length).toBeGreaterThan(0); // extra members survive the Problem serializer

    // Links: JSON, images, 404 and 409.
    const link = (await req('POST', '/api/v1/links', { name: 'Coffee', amount: '3.20' })).body;
    expect((await req('GET', `/api/v1/links/${link.id}`, undefined, { headers: { accept: 'image/png' } })).headers['content-type']).toBe('image/png');
    expect((await req('GET', `/api/v1/links/${link.id}`, undefined, { headers: { accept: 'image/svg+xml' } })).headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect((await req('GET', `/api/v1/links/${link.id}/qr?format=svg`)).status).toBe(200);
    expectProblem(await req('GET', '/api/v1/links/lnk_missing'), 404, 'not-found');
    expectProblem(await req('GET', '/api/v1/links/lnk_missing/qr'), 404, 'not-found');

    // The customer dialog: JSON, then form posts (303, or a page).
    const started = await req('POST', `/pay-by-link/${link.id}/payments`, {}, { auth: false });
    expect(started.status, started.text).toBe(201);
    const paymentId: string = started.body.payment.id;
    const locked = expectProblem(await req('POST', `/pay-by-link/${link.id}/payments`, {}, { auth: false }), 409, 'link-locked');
    expect(locked.linkStatus).toBe('locked');
    const lockedPage = await req('POST', `/pay-by-link/${link.id}/payments`, undefined, form({ locale: 'en' }));
    expect([lockedPage.status, mediaType(String(lockedPage.headers['content-type']))]).toEqual([423, 'text/html']);
    expect((await req('GET', `/pay-by-link/${link.id}/payments/${paymentId}`, undefined, { auth: false })).status).toBe(200);
    expect((await req('POST', `/sim/checkout/${paymentId}`, { outcome: 'succeeded' }, { auth: false })).status).toBe(200);
    expectProblem(await req('POST', `/sim/checkout/${paymentId}`, { outcome: 'failed' }, { auth: false }), 409, 'payment-not-pending');
    const consumedPage = await req('POST', `/pay-by-link/${link.id}/payments`, undefined, form({ locale: 'en' }));
    expect([consumedPage.status, mediaType(String(consumedPage.headers['content-type']))]).toEqual([410, 'text/html']);
    expectProblem(await req('POST', '/pay-by-link/lnk_missing/payments', {}, { auth: false }), 404, 'not-found');

    const open = (await req('POST', '/api/v1/links', { name: 'Tip jar', reuse: 'multiple', minAmount: '1.00' })).body;
    const redirect = await req('POST', `/pay-by-link/${open.id}/payments`, undefined, form({ amount: '2.00', locale: 'en' }));
    expect(redirect.status).toBe(303);
    const refused = await req('POST', `/pay-by-link/${open.id}/payments`, undefined, form({ amount: 'lots', locale: 'en' }));
    expect([refused.status, mediaType(String(refused.headers['content-type']))]).toEqual([422, 'text/html']);
    const formPaymentId = String(redirect.headers.location).split('/sim/checkout/')[1]!.split('?')[0]!;
    expect((await req('POST', `/sim/checkout/${formPaymentId}`, undefined, form({ outcome: 'succeeded', locale: 'en' }))).status).toBe(303);

    // Payments and refunds.
    expect((await req('POST', `/api/v1/payments/${paymentId}/refund`, {})).status).toBe(200);
    expectProblem(await req('POST', `/api/v1/payments/${paymentId}/refund`, {}), 409, 'payment-not-refundable');
    expectProblem(await req('GET', '/api/v1/payments/pay_missing'), 404, 'not-found');

    // Changes refused by state; cancelling.
    expect((await req('DELETE', `/api/v1/links/${open.id}`)).status).toBe(200);
    expectProblem(await req('PATCH', `/api/v1/links/${open.id}`, { enabled: true }), 409, 'link-not-usable');

    // Webhook endpoints: 201, 204, 404.
    const endpoint = await req('POST', '/api/v1/webhook-endpoints', { url: 'https://example.com/hooks', events: ['*'] });
    expect(endpoint.status, endpoint.text).toBe(201);
    expect((await req('DELETE', `/api/v1/webhook-endpoints/${endpoint.body.id}`)).status).toBe(204);
    expectProblem(await req('GET', `/api/v1/webhook-endpoints/${endpoint.body.id}`), 404, 'not-found');

    // Sending a link: 202 until the hourly limit, then 429 with Retry-After.
    const sendable = (await req('POST', '/api/v1/links', { name: 'Invoice', amount: '90.00' })).body;
    let last: Res | undefined;
    for (let i = 0; i < 11; i++) last = await req('POST', `/api/v1/links/${sendable.id}/send`, { channel: 'email', to: 'customer@example.com' });
    expectProblem(last!, 429, 'rate-limited');
    expect(last!.headers['retry-after']).toBeDefined();

    // Every one of them, checked against the document.
    const observed = log().slice(from);
    expect(observed.map((r) => r.status)).toEqual(seen.map((r) => r.status));
    const wrong = observed.map((r) => checkResponse(doc, r)).filter(Boolean);
    expect(wrong).toEqual([]);
    const documented = observed.filter((r) => r.route !== undefined && r.route !== '/staff/login').map((r) => `${r.status} ${mediaType(r.contentType) ?? '-'}`);
    for (const kind of ['200 application/json', '201 application/json', '202 application/json', '204 -', '303 -', '200 image/png', '200 image/svg+xml', '410 text/html', '423 text/html', '422 text/html']) {
      expect(documented, kind).toContain(kind);
    }
    for (const status of [400, 401, 403, 404, 409, 413, 415, 422, 429]) expect(documented, String(status)).toContain(`${status} application/problem+json`);
  });
});

describe('errors Node answers before any route', () => {
  it('answers over-long request headers with a problem+json 431', async () => {
    const base = await listen(t);
    const { port } = new URL(base);
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET /api/v1/links HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`);
      });
      socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', (err) => (text ? resolve(text) : reject(err)));
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head!.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(head).toMatch(/^content-type: application\/problem\+json; charset=utf-8$/im);
    expect(JSON.parse(body!)).toEqual({ type: 'request-header-fields-too-large', title: expect.any(String), status: 431, detail: expect.any(String) });
  });
});
