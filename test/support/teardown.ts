/**
 * Vitest setup file: whatever app a test file started through the kit (test/support/app.ts, running.ts) is
 * stopped, and its temp dir removed, after the file, even when a test failed before its own
 * cleanup. Registered first, so it runs after the file's own afterAll hooks.
 */
import { afterAll } from 'vitest';
import { stopAll } from './running';

afterAll(stopAll);
