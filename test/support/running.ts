/**
 * What the test file has started through the kit and must stop: kept apart from app.ts so the
 * teardown setup file loads nothing heavy into test files that start no app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const running = new Set<{ close: () => Promise<void> }>();
const dirs: string[] = [];

export function track(app: { close: () => Promise<void> }): void {
  running.add(app);
}

export function untrack(app: { close: () => Promise<void> }): void {
  running.delete(app);
}

/** A fresh temp directory, removed after the test file. */
export function tempDir(prefix = 'counterlink-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Closes every app this file started and removes the temp dirs. */
export async function stopAll(): Promise<void> {
  for (const app of [...running]) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
