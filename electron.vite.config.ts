import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type RendererViteConfig, type UserConfig } from 'electron-vite';
import { loadConfigFromFile, type ConfigEnv, type Plugin } from 'vite';

/**
 * electron-vite: main (ESM, out/main/index.js), preload (CommonJS, as sandboxed preloads must
 * be: out/preload/index.cjs) and the renderer, which reuses renderer/vite.config.ts as it is.
 */

const root = fileURLToPath(new URL('.', import.meta.url));
const rendererConfigFile = resolve(root, 'renderer/vite.config.ts');

/**
 * Files the bundled main process reads at run time from next to its own module (import.meta.url):
 * bundled, every such module is out/main/index.js, so they are copied to out/main/<to>.
 * - core/store/migrations.ts: each dialect's numbered SQL migrations, from `migrations/{sqlite,postgres}`;
 * - server/dialog/http.ts (loadAsset): the customer dialog's CSS and JS, from `assets/`.
 */
const RUNTIME_FILES = [
  { from: resolve(root, 'core/store/migrations/sqlite'), to: 'migrations/sqlite', match: /^\d{3}_[\w-]+\.sql$/ },
  { from: resolve(root, 'core/store/migrations/postgres'), to: 'migrations/postgres', match: /^\d{3}_[\w-]+\.sql$/ },
  { from: resolve(root, 'server/dialog/assets'), to: 'assets', match: /^[\w.-]+$/ },
];

function copyRuntimeFiles(): Plugin {
  const list = (dir: string, match: RegExp): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => match.test(f)).sort() : []);
  return {
    name: 'counterlink:copy-runtime-files',
    buildStart() {
      for (const { from, match } of RUNTIME_FILES) for (const f of list(from, match)) this.addWatchFile(join(from, f));
    },
    generateBundle() {
      for (const { from, to, match } of RUNTIME_FILES) {
        for (const f of list(from, match)) this.emitFile({ type: 'asset', fileName: `${to}/${f}`, source: readFileSync(join(from, f)) });
      }
    },
  };
}

/**
 * renderer/vite.config.ts (owned by the staff UI) as it is, with its root and outDir made
 * absolute (electron-vite resolves a relative outDir against the project root, vite against the
 * config's root). Its outDir is what the app server serves at `/` (server/staff/ui.ts), in the
 * packaged app too (out/renderer inside app.asar).
 */
async function rendererConfig(env: ConfigEnv): Promise<RendererViteConfig | undefined> {
  // The Electron tests build main + preload only and share the staff UI's own build of
  // out/renderer (renderer/ensure-built.ts, with its lock), so parallel browser tests never see
  // out/renderer being rebuilt under them.
  if (process.env.COUNTERLINK_SKIP_RENDERER_BUILD === '1') return undefined;
  if (!existsSync(rendererConfigFile)) {
    console.warn('[electron-vite] renderer/vite.config.ts not found: building main and preload only.');
    return undefined;
  }
  const loaded = await loadConfigFromFile(env, rendererConfigFile, root);
  const config = loaded?.config ?? {};
  const rendererRoot = config.root ? resolve(root, config.root) : resolve(root, 'renderer');
  const outDir = config.build?.outDir ? resolve(rendererRoot, config.build.outDir) : resolve(root, 'out/renderer');
  const input = config.build?.rollupOptions?.input ?? resolve(rendererRoot, 'index.html');
  const { build, ...rest } = config;
  return {
    ...rest,
    root: rendererRoot,
    build: {
      ...build,
      outDir,
      emptyOutDir: true,
      rollupOptions: { ...build?.rollupOptions, input },
    } as RendererViteConfig['build'],
  };
}

export default defineConfig(async (env): Promise<UserConfig> => {
  const renderer = await rendererConfig(env);
  return {
    main: {
      plugins: [copyRuntimeFiles()],
      build: {
        outDir: resolve(root, 'out/main'),
        // Dependencies stay in node_modules (electron-builder ships them). @fastify/ajv-compiler is
        // imported by the server but only a dependency of fastify: keep it external too.
        externalizeDeps: { include: ['@fastify/ajv-compiler'] },
        rollupOptions: {
          input: { index: resolve(root, 'electron/main/index.ts') },
          // One file: the modules above find their files next to it.
          output: { inlineDynamicImports: true },
        },
      },
    },
    preload: {
      build: {
        outDir: resolve(root, 'out/preload'),
        rollupOptions: {
          input: { index: resolve(root, 'electron/preload/index.ts') },
          output: { format: 'cjs', entryFileNames: '[name].cjs' },
        },
      },
    },
    ...(renderer ? { renderer } : {}),
  };
});
