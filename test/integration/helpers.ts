import { expect } from 'vitest';
import type { CreateAppOptions } from '../../server/create-app';
import { countRows } from '../support/raw-db';
import { startApp, tempDir, type ReqOptions, type Res, type RunningApp } from '../support/app';
import { API_KEY, AUTH } from '../support/keys';

export { countRows, API_KEY, AUTH, type ReqOptions, type Res };

export const BASE_URL = 'http://127.0.0.1:4780';
export const START = '2026-01-15T10:00:00.000Z';

/** A fresh temp directory, removed after the file by the kit. */
export const makeTempDir = (prefix = 'counterlink-it-'): string => tempDir(prefix);

export type TestApp = RunningApp;

export interface MakeAppOptions extends Partial<CreateAppOptions> {
  /** Use a ManualClock starting here (default: START); `false` for the system clock. */
  manualClock?: string | false;
  /** Listen on a loopback port (real HTTP, workers); default inject only. */
  listen?: boolean;
}

/** True when this run's integration tests use PostgreSQL (tests that look at SQLite rows skip). */
export const onPostgres = process.env.COUNTERLINK_TEST_STORE === 'postgres';

/**
 * The kit's app as the API tests want it: on the test project's store (SQLite, or PostgreSQL in
 * vitest's `postgres` project), a manual clock at START unless told otherwise, the merchant's
 * zone settled to UTC so expiresOn is deterministic. Timers still run; with a manual clock
 * nothing changes until the test moves time.
 */
export async function makeApp(options: MakeAppOptions = {}): Promise<TestApp> {
  const { manualClock = START, ...rest } = options;
  const t = await startApp({
    baseUrl: BASE_URL,
    projectStore: true,
    prefix: 'counterlink-it-',
    ...rest,
    ...(manualClock === false ? {} : { manualClock }),
  });
  if (!options.dataDir) await t.app.core.settings.update({ timeZone: 'UTC' });
  return t;
}

/** Asserts an RFC 9457 problem response with this status and slug; returns the body. */
export function expectProblem(res: Res, status: number, type: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect({ status: res.status, type: res.body?.type }, res.text.slice(0, 500)).toEqual({ status, type });
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
  return res.body;
}

/** Asserts a 422 whose errors name `path` (exactly, or starting with it). */
export function expectValidation(res: Res, path: string): void {
  const body = expectProblem(res, 422, 'validation-error');
  expect(Array.isArray(body.errors), res.text).toBe(true);
  // Each field error: where, in English, and a stable code (with its params) for translation.
  for (const e of body.errors) {
    expect(e).toEqual({ path: expect.any(String), message: expect.any(String), code: expect.any(String), ...('params' in e ? { params: expect.any(Object) } : {}) });
  }
  const paths: string[] = body.errors.map((e: { path: string }) => e.path);
  expect(paths.some((p) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)), `expected an error on ${path}, got ${paths.join(', ')}`).toBe(true);
}

/** Creates a link over HTTP and returns it (asserting 201). */
export async function createLink(t: TestApp, body: Record<string, unknown> = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await t.req('POST', '/api/v1/links', { name: 'Test link', amount: '12.50', ...body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Starts a payment through core (the customer dialog's path) and optionally completes it. */
export async function pay(t: TestApp, linkId: string, outcome?: 'succeeded' | 'failed' | 'abandoned', input: Record<string, unknown> = {}) {
  const { payment } = await t.app.core.payments.start(linkId, input);
  return outcome ? t.app.core.payments.complete(payment.id, outcome) : payment;
}

/** Counts links through the store (no sweeping, no HTTP), on either store. */
export function linkCount(t: TestApp): Promise<number> {
  return countRows(t.app.core, 'links');
}

/** Starts listening on an ephemeral port; returns the address actually bound (not the links' baseUrl). */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen();
  const address = t.app.server.server.address();
  if (!address || typeof address !== 'object') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** fetch against a listening app, with the API key and JSON. */
export async function fetchJson(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body: json, text };
}
