import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run serve` (and the dev proxy below) finds the app server. */
const devTarget = process.env.COUNTERLINK_DEV_SERVER ?? 'http://127.0.0.1:4780';

/**
 * Next to every built script and stylesheet, its brotli (best) and gzip forms: the app server
 * sends those as they are (server/staff/ui.ts, `preCompressed`), so no request pays for
 * compressing and the customer display's tablet downloads a fraction of the bytes.
 */
function precompress(): Plugin {
  return {
    name: 'counterlink:precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? resolve(root, '../out/renderer');
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|svg|json)$/.test(fileName)) continue;
        const path = join(dir, fileName);
        const source = readFileSync(path);
        if (source.length < 1024) continue;
        writeFileSync(`${path}.br`, brotliCompressSync(source, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: source.length } }));
        writeFileSync(`${path}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

/**
 * The staff UI and the counter display, one single-page app. Used as is by
 * `vite build -c renderer/vite.config.ts` (browser mode: served by the app at /) and reused by
 * electron-vite for the desktop renderer. Asset URLs are relative (`base: './'`) so the same
 * build loads from file:// in Electron; the server adds `<base href="/">` when it serves it.
 */
export default defineConfig({
  root,
  base: './',
  publicDir: resolve(root, 'public'),
  plugins: [react(), precompress()],
  build: {
    outDir: resolve(root, '../out/renderer'),
    emptyOutDir: true,
    // Not "assets": the customer dialog already serves /assets/… on the same server.
    assetsDir: 'ui',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    rollupOptions: { input: resolve(root, 'index.html') },
  },
  server: {
    // `vite -c renderer/vite.config.ts` next to a running `npm run serve`: same-origin API calls.
    proxy: {
      '/api': devTarget,
      '/staff': devTarget,
      '/healthz': devTarget,
      '^/display/[^/]+/(state|events)$': devTarget,
    },
  },
});
