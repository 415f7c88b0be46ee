#!/usr/bin/env node
// Installs dependencies on first use, so the README's quick start is `npm run serve` / `npm test`
// right after cloning. Plain Node, no dependencies. Usage: node .ci/ensure-deps.mjs [desktop]
//
// The Electron binary is downloaded from outside the npm registry, which some networks (and this
// project's CI) cannot reach. Only `npm start` needs it, so other commands install without it.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const desktop = process.argv[2] === 'desktop';
const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
  return r.status === 0;
}

if (stale) {
  console.log('Installing dependencies (first run; better-sqlite3 may compile for a few minutes)…');
  const env = desktop || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== undefined ? {} : { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  if (!run('npm', ['ci', '--no-audit', '--no-fund'], env)) process.exit(1);
}

// better-sqlite3 is native: one build serves either Node (tests, `npm run serve`) or Electron
// (`npm start`). Rebuild for whichever is about to run, when the other one built it last.
const nativeMarker = 'node_modules/.counterlink-native-runtime';
const builtFor = existsSync(nativeMarker) ? readFileSync(nativeMarker, 'utf8').trim() : 'node';
const wanted = desktop ? 'electron' : 'node';

if (desktop && !existsSync('node_modules/electron/path.txt')) {
  console.log('Fetching the Electron binary…');
  if (!run('node', ['node_modules/electron/install.js'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '' })) {
    console.error(
      '\nThe Electron binary could not be downloaded (no access to its download host?).\n' +
        'Run the same app headless instead: `npm run serve`, then open the printed URL in a browser.',
    );
    process.exit(1);
  }
}

if (builtFor !== wanted) {
  console.log(`Rebuilding better-sqlite3 for ${wanted === 'electron' ? 'Electron' : 'Node'} (it was built for ${builtFor})…`);
  const ok = wanted === 'electron' ? run('npx', ['electron-builder', 'install-app-deps']) : run('npm', ['rebuild', 'better-sqlite3']);
  if (!ok) process.exit(1);
  writeFileSync(nativeMarker, `${wanted}\n`);
}
