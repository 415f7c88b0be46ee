import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlib } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';

/** Where `vite build -c renderer/vite.config.ts` puts the staff UI. */
export const UI_ASSETS_DIR = 'ui';

/**
 * The staff UI's policy: only our own scripts, styles and connections; images may be data: and
 * blob: URLs (QR codes, downloads), frames only our own PDFs (printing); nobody may frame it (clickjacking a "refund" button).
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  // Receipts and day reports are printed from a hidden frame holding the PDF as a blob: URL.
  "frame-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed file names never change content: browsers keep them for a year without asking. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Paths the single-page app answers (it routes on the client). */
const SPA_PATHS = [
  '/',
  '/login',
  '/charge',
  '/links',
  '/links/*',
  '/feed',
  '/payments',
  '/payments/*',
  '/bank',
  '/reports',
  '/receipts/*',
  '/messages',
  '/messages/*',
  '/webhooks',
  '/webhooks/*',
  '/settings',
  '/settings/staff',
  '/print/*',
  '/display/:posId',
];

function notBuilt(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
    .send(
      '<!doctype html><meta charset="utf-8"><title>Counterlink</title><h1>The staff UI is not built</h1><p>Run <code>npm run build:ui</code> (or <code>npm run serve</code>, which builds it) and reload.</p>',
    );
}

/**
 * Serves the built staff UI: hashed assets under /ui/ (cached for good, compressed), and
 * index.html for every client-side route, with a strict CSP (never cached without asking, so a
 * new build is picked up at the next load).
 *
 * Compression: the build writes brotli and gzip forms beside each asset (renderer/vite.config.ts),
 * sent as they are; @fastify/compress covers an asset without them (a build by other means).
 * Both live in the assets' own plugin scope: no other route of the app is touched. vite builds with relative asset URLs (what
 * Electron's file:// needs), so the page served here gets `<base href="/">` to resolve them
 * from any depth (/links/pl_…, /display/pos_…).
 */
export async function uiRoutes(app: FastifyInstance, uiDir: string): Promise<void> {
  const assetsDir = join(uiDir, UI_ASSETS_DIR);
  const indexFile = join(uiDir, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;

  const indexHtml = (): string | undefined => {
    if (!existsSync(indexFile)) return undefined;
    const { mtimeMs } = statSync(indexFile);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      const raw = readFileSync(indexFile, 'utf8');
      cached = { mtimeMs, html: raw.replace(/<head>/i, '<head>\n    <base href="/">') };
    }
    return cached.html;
  };

  await app.register(async (assets) => {
    await assets.register(fastifyCompress, {
      global: true,
      encodings: ['br', 'gzip'],
      threshold: 1024,
      // On the fly only for an asset without a pre-compressed form: fast settings.
      brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } },
      zlibOptions: { level: 6 },
    });
    await assets.register(fastifyStatic, {
      root: assetsDir, // may not exist yet: served once `build:ui` has run
      prefix: `/${UI_ASSETS_DIR}/`,
      decorateReply: false,
      index: false,
      wildcard: true,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res: FastifyReply) => {
        res.header('Cache-Control', ASSET_CACHE_CONTROL);
        res.header('X-Content-Type-Options', 'nosniff');
      },
    });
  });

  for (const file of ['favicon.svg']) {
    app.get(`/${file}`, { schema: { hide: true } }, async (_request, reply) => {
      const path = join(uiDir, file);
      if (!existsSync(path)) return reply.code(404).send();
      return reply.type('image/svg+xml').header('Cache-Control', 'public, max-age=86400').send(readFileSync(path));
    });
  }

  for (const path of SPA_PATHS) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => {
      const html = indexHtml();
      if (html === undefined) return notBuilt(reply);
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .header('Content-Security-Policy', UI_CSP)
        .header('X-Frame-Options', 'DENY')
        .header('Cross-Origin-Opener-Policy', 'same-origin')
        .send(html);
    });
  }
}
