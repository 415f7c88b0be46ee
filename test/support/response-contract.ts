/**
 * Vitest setup file: every response an integration test gets from the app is checked against the
 * app's own OpenAPI document, after the file's tests — an undeclared status code or content type
 * fails the file. (server/http/contract.ts records responses only when this array exists.)
 */
import { afterAll, expect } from 'vitest';
import { RESPONSE_LOG, type ObservedResponse } from '../../server/http/contract';
import { undeclaredResponses } from './openapi-contract';

const testPath = expect.getState().testPath ?? '';

if (/[\\/]test[\\/]integration[\\/]/.test(testPath)) {
  const log: ObservedResponse[] = [];
  (globalThis as Record<symbol, unknown>)[RESPONSE_LOG] = log;
  afterAll(() => {
    const wrong = undeclaredResponses(log);
    log.length = 0;
    expect(wrong, 'responses this test file got that the OpenAPI document does not declare (server/schemas/common.ts, the route schemas)').toEqual([]);
  });
}
