import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIB = join(import.meta.dirname, '../../../electron/lib');

describe('electron/lib stays plain Node', () => {
  const files = readdirSync(LIB).filter((f) => f.endsWith('.ts'));

  it('has the modules the shell is built from', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining(['displays.ts', 'ipc-validation.ts', 'payment-notifications.ts', 'policy.ts', 'settings.ts', 'startup.ts', 'updater-state.ts', 'window-options.ts']),
    );
  });

  it.each(files)('%s imports nothing from electron at run time', (file) => {
    const source = readFileSync(join(LIB, file), 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(runtimeImports.filter((m) => m === 'electron' || m?.startsWith('electron/'))).toEqual([]);
    expect(source).not.toMatch(/require\(['"]electron['"]\)/);
  });
});
