import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run serve` (and the dev proxy below) finds the app server. */
const devTarget = process.env.COUNTERLINK_DEV_SERVER ?? 'http://127.0.0.1:4780';

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
  plugins: [react()],
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
