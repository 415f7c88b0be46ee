import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type App, type CreateAppOptions } from '../../server/create-app';
import { ManualClock } from '../../core/clock';
import { countRows, rawDb } from '../support/raw-db';
import { freshDatabase, testPostgresUrl } from '../support/postgres';

export { countRows, rawDb };

export const API_KEY = 'test-key-123456';
export const BASE_URL = 'http://127.0.0.1:4780';
export const START = '2026-01-15T10:00:00.000Z';
export const AUTH = { authorization: `Bearer ${API_KEY}` } as const;

const made: string[] = [];

/** A fresh temp directory, removed by `cleanupTempDirs`. */
export function makeTempDir(prefix = 'counterlink-it-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface TestApp {
  app: App;
  dataDir: string;
  clock: ManualClock | undefined;
  /** JSON request with the API key (unless `auth: false` or own headers). */
  req: (method: InjectOptions['method'], url: string, body?: unknown, options?: ReqOptions) => Promise<Res>;
  close: () => Promise<void>;
}

export interface ReqOptions {
  auth?: boolean;
  headers?: Record<string, string>;
  /** Send this raw payload instead of JSON-encoding `body`. */
  raw?: string | Buffer;
}

export interface Res {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  raw: LightMyRequestResponse;
}

export interface MakeAppOptions extends Partial<CreateAppOptions> {
  /** Use a ManualClock starting here (default: START); `false` for the system clock. */
  manualClock?: string | false;
}

/**
 * The store the integration tests run on: a SQLite file in the app's temp dir, or (the
 * `postgres` project of vitest.config.ts, COUNTERLINK_TEST_STORE=postgres) a fresh database on
 * the run's PostgreSQL.
 */
async function storeForTests(): Promise<{ databaseUrl?: string }> {
  if (process.env.COUNTERLINK_TEST_STORE !== 'postgres') return {};
  const server = testPostgresUrl();
  if (!server) throw new Error('the postgres test project needs PostgreSQL');
  return { databaseUrl: await freshDatabase(server, 'it') };
}

/** True when this run's integration tests use PostgreSQL (tests that look at SQLite rows skip). */
export const onPostgres = process.env.COUNTERLINK_TEST_STORE === 'postgres';

/**
 * The whole app on a real SQLite file in a temp dir. Timers (sweeper) still run, but with a
 * manual clock nothing changes until the test moves time.
 */
export async function makeApp(options: MakeAppOptions = {}): Promise<TestApp> {
  const { manualClock = START, ...rest } = options;
  const dataDir = rest.dataDir ?? makeTempDir();
  const clock = rest.clock instanceof ManualClock ? rest.clock : manualClock === false ? undefined : new ManualClock(manualClock);
  const app = await createApp({
    port: 0,
    host: '127.0.0.1',
    // A test-mode key: the simulator pays only test links (a live one is never "paid" by a button).
    testApiKey: API_KEY,
    baseUrl: BASE_URL,
    ...(await storeForTests()),
    ...rest,
    dataDir,
    ...(clock ? { clock } : {}),
  });
  if (!options.dataDir) {
    // Settle the merchant's zone so expiresOn is deterministic.
    await app.core.settings.update({ timeZone: 'UTC' });
  }
  const req = async (method: InjectOptions['method'], url: string, body?: unknown, o: ReqOptions = {}): Promise<Res> => {
    const headers: Record<string, string> = { ...(o.auth === false ? {} : AUTH) };
    let payload: string | Buffer | undefined;
    if (o.raw !== undefined) payload = o.raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, o.headers ?? {});
    const res = await app.server.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    let parsed: unknown;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body, raw: res };
  };
  return { app, dataDir, clock, req, close: () => app.close() };
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
