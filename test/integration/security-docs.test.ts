/**
 * /api/docs (Swagger UI) gets the same security headers as every other page: a CSP that loads
 * only our own files and forbids framing, X-Frame-Options, nosniff, no referrer — on the page,
 * its static files and the document it loads. (test/e2e/docs-csp.test.ts renders it in Chromium
 * under that CSP.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp();
});
afterAll(async () => {
  await t.close();
});

const get = (url: string) => t.app.server.inject({ method: 'GET', url });

function expectPageHeaders(headers: Record<string, unknown>, url: string): void {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, url).toContain("default-src 'none'");
  expect(csp, url).toContain("script-src 'self'");
  expect(csp, url).toContain("frame-ancestors 'none'");
  expect(csp, url).toContain("object-src 'none'");
  expect(csp, url).not.toMatch(/unsafe-inline|unsafe-eval|https:|upgrade-insecure-requests/);
  expect(headers['x-frame-options'], url).toBe('DENY');
  expect(headers['x-content-type-options'], url).toBe('nosniff');
  expect(headers['referrer-policy'], url).toBe('no-referrer');
}

describe('/api/docs', () => {
  it('the docs page carries the CSP, X-Frame-Options, nosniff and Referrer-Policy', async () => {
    for (const url of ['/api/docs', '/api/docs/']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expectPageHeaders(res.headers, url);
    }
  });

  it('so do its static files and the document it loads', async () => {
    for (const url of ['/api/docs/static/index.css', '/api/docs/static/swagger-initializer.js', '/api/docs/static/swagger-ui-bundle.js', '/api/docs/static/oauth2-redirect.html', '/api/docs/json']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expectPageHeaders(res.headers, url);
    }
  });

  it('matches the dialog page: the same headers are present on both', async () => {
    const names = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'];
    const dialog = await get('/en/pay-by-link/pl_unknown');
    const docs = await get('/api/docs');
    for (const name of names) {
      expect(dialog.headers[name], `dialog ${name}`).toBeTruthy();
      expect(docs.headers[name], `docs ${name}`).toBeTruthy();
    }
  });
});
