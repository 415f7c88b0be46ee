import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, createLink, expectProblem, makeApp, makeTempDir, onPostgres, type TestApp } from './helpers';
import { createApp } from '../../server/create-app';

/** Every Service API operation of API.md, as OpenAPI path + method. */
const API_OPERATIONS: [string, string][] = [
  ['post', '/api/v1/links'],
  ['get', '/api/v1/links'],
  ['get', '/api/v1/links/{id}'],
  ['patch', '/api/v1/links/{id}'],
  ['delete', '/api/v1/links/{id}'],
  ['post', '/api/v1/links/{id}/cancel'],
  ['get', '/api/v1/links/{id}/qr'],
  ['get', '/api/v1/payments'],
  ['get', '/api/v1/payments/{id}'],
  ['post', '/api/v1/payments/{id}/refund'],
  ['get', '/api/v1/events'],
  ['get', '/api/v1/points-of-sale'],
  ['post', '/api/v1/points-of-sale'],
  ['patch', '/api/v1/points-of-sale/{id}'],
  ['post', '/api/v1/charges'],
  ['get', '/api/v1/display'],
  ['post', '/api/v1/display/show'],
  ['post', '/api/v1/display/clear'],
];

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.close();
});

describe('auth', () => {
  it('refuses every /api/v1 operation without a bearer token', async () => {
    for (const [method, path] of API_OPERATIONS) {
      const url = path.replace('{id}', 'pl_doesnotmatter');
      const res = await t.req(method.toUpperCase() as 'GET', url, method === 'get' || method === 'delete' ? undefined : {}, { auth: false });
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('refuses a wrong, malformed or non-bearer credential', async () => {
    for (const authorization of [
      'Bearer wrong-key-123456',
      `Bearer ${API_KEY}x`,
      `Bearer ${API_KEY.slice(0, -1)}`,
      `Basic ${Buffer.from(`user:${API_KEY}`).toString('base64')}`,
      API_KEY,
      'Bearer',
      'Bearer ',
      `Bearer ${'k'.repeat(5000)}`,
      `Bearer ${API_KEY} extra`,
    ]) {
      const res = await t.req('GET', '/api/v1/links', undefined, { auth: false, headers: { authorization } });
      expectProblem(res, 401, 'unauthorized');
    }
    const res = await t.req('GET', '/api/v1/links?api_key=' + API_KEY, undefined, { auth: false });
    expectProblem(res, 401, 'unauthorized');
  });

  it('refuses an unknown path under /api/v1 without a key with 401, not 404', async () => {
    expectProblem(await t.req('GET', '/api/v1/no-such-thing', undefined, { auth: false }), 401, 'unauthorized');
    expectProblem(await t.req('GET', '/api/v1/no-such-thing'), 404, 'not-found');
  });

  it('accepts the key with any case of the Bearer scheme', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await t.req('GET', '/api/v1/links', undefined, { auth: false, headers: { authorization: `${scheme} ${API_KEY}` } });
      expect(res.status).toBe(200);
    }
  });

  it('serves /healthz publicly', async () => {
    const res = await t.req('GET', '/healthz', undefined, { auth: false });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String) });
    expect(res.body.version.length).toBeGreaterThan(0);
  });
});

describe('OpenAPI document', () => {
  it('is public, OpenAPI 3 and names every Service API operation of API.md', async () => {
    const res = await t.req('GET', '/api/openapi.json', undefined, { auth: false });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(typeof doc.paths).toBe('object');
    for (const [method, path] of API_OPERATIONS) {
      expect(doc.paths[path], `${path} missing`).toBeDefined();
      expect(doc.paths[path][method], `${method.toUpperCase()} ${path} missing`).toBeDefined();
      expect(Object.keys(doc.paths[path][method].responses ?? {}).length, `${method} ${path} has no responses`).toBeGreaterThan(0);
    }
    // The bearer scheme is declared and applies.
    const schemes = doc.components?.securitySchemes ?? {};
    expect(Object.values(schemes).some((s: any) => s.type === 'http' && s.scheme === 'bearer')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.security?.length ?? 0).toBeGreaterThan(0);
    // Public endpoints are not documented as API operations with parameters that lie.
    for (const path of Object.keys(doc.paths)) expect(path).not.toMatch(/:/);
    // Every $ref resolves inside the document.
    const refs = new Set<string>();
    JSON.stringify(doc, (key, value) => {
      if (key === '$ref' && typeof value === 'string') refs.add(value);
      return value;
    });
    expect(refs.size).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, `non-local $ref ${ref}`).toMatch(/^#\//);
      let node: any = doc; // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const part of ref.slice(2).split('/')) node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      expect(node, `unresolved $ref ${ref}`).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Link', 'Payment', 'Event', 'Problem']));
  });

  it('documents the link body fields of API.md', async () => {
    const doc = (await t.req('GET', '/api/openapi.json', undefined, { auth: false })).body;
    const body = doc.paths['/api/v1/links'].post.requestBody.content['application/json'].schema;
    for (const field of [
      'name', 'description', 'type', 'pointOfSaleId', 'amount', 'currency', 'minAmount', 'reuse', 'maxUses',
      'perPaymentAmountLimit', 'totalAmountLimit', 'expiresAt', 'expiresOn', 'expiresInMinutes', 'locale', 'country',
      'metadata', 'refIdBase', 'reference', 'cancellable', 'callbackUrl',
    ]) {
      expect(body.properties[field], field).toBeDefined();
    }
    expect(body.required).toEqual(['name']);
  });
});

describe('API key storage', () => {
  it.skipIf(onPostgres)('never writes the API key in plain text into the data directory', async () => {
    await createLink(t, { name: 'Something', metadata: { note: 'plain text' } });
    const freshDir = makeTempDir();
    const fresh = await createApp({ dataDir: freshDir, port: 0, host: '127.0.0.1', baseUrl: 'http://127.0.0.1:4780' });
    const generated = fresh.generatedApiKey!;
    expect(generated).toMatch(/^clk_/);
    const ok = await fresh.server.inject({ method: 'GET', url: '/api/v1/links', headers: { authorization: `Bearer ${generated}` } });
    expect(ok.statusCode).toBe(200);

    const scan = (dir: string, secret: string) => {
      const files = readdirSync(dir).filter((f) => f.startsWith('counterlink.sqlite'));
      expect(files).toContain('counterlink.sqlite');
      let bytes = 0;
      for (const f of files) {
        const content = readFileSync(join(dir, f));
        bytes += content.length;
        expect(content.includes(Buffer.from(secret, 'utf8')), `${secret} found in ${f}`).toBe(false);
        expect(content.includes(Buffer.from(secret, 'utf16le')), `${secret} (utf16) found in ${f}`).toBe(false);
      }
      expect(bytes).toBeGreaterThan(0);
    };
    // While running (WAL file included) and after a clean close (checkpointed).
    scan(t.dataDir, API_KEY);
    scan(freshDir, generated);
    await fresh.close();
    scan(freshDir, generated);
    // The configured key of a closed app neither.
    const other = await makeApp();
    await other.close();
    scan(other.dataDir, API_KEY);
  });
});
