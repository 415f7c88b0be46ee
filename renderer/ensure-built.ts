/**
 * Builds the staff UI (vite, renderer/vite.config.ts -> out/renderer) unless the build is
 * newer than every file under renderer/. `npm run serve` runs this first, so a fresh clone
 * and an edited renderer both get a current UI; an unchanged one starts at once. Concurrent
 * callers (parallel test files) share one build through a lock directory.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RENDERER = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(RENDERER, '..');
export const UI_OUT_DIR = join(ROOT, 'out/renderer');
const LOCK = join(ROOT, 'out/.renderer-build.lock');
const LOCK_STALE_MS = 180_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function uiIsFresh(): boolean {
  const index = join(UI_OUT_DIR, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestMtime(RENDERER);
}

/** Resolves once out/renderer is current; builds it (once, whoever asks) if it is not. */
export async function ensureUiBuilt(log: (message: string) => void = () => {}): Promise<void> {
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    if (uiIsFresh()) return;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than this belongs to a build that died.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('Timed out waiting for another process to build the UI');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (uiIsFresh()) return;
    log('Building the staff UI (vite)…');
    const { build } = await import('vite');
    // Under vitest NODE_ENV is "test": vite would then bundle React's development build (twice
    // the size, slower). The UI is always built as it ships.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(RENDERER, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureUiBuilt((m) => console.log(m)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
