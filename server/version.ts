import { readFileSync } from 'node:fs';

/**
 * The app version from package.json, read once. From source the file is one level up; from the
 * bundled desktop build (out/main/index.js, inside app.asar) it is two.
 */
export const VERSION: string = (() => {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'counterlink' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return '0.0.0';
})();
