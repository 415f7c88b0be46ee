/**
 * The one app fixture: the whole app (server and core) on a fresh temp dir, stopped and its dir
 * removed after the test file whether or not the test closes it (test/support/teardown.ts).
 * Suites add their own conveniences on top (test/integration/helpers.ts, the staff helpers), not
 * their own starters.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type App, type CreateAppOptions } from '../../server/create-app';
import { ManualClock } from '../../core/clock';
import { freshDatabase, testPostgresUrl } from './postgres';
import { API_KEY, AUTH } from './keys';
import { tempDir, track, untrack } from './running';

export { tempDir };

export interface StartOptions extends Partial<CreateAppOptions> {
  /** Listen on a loopback port: real HTTP, SSE and the background workers. Default: inject only. */
  listen?: boolean;
  /** A ManualClock starting at this instant (or the one given as `clock`); default the system clock. */
  manualClock?: string;
  /** Run on this test project's store (PostgreSQL in vitest's `postgres` project); default SQLite in the temp dir. */
  projectStore?: boolean;
  /** API_KEY as the live key (staff UI tests) instead of the test-mode key. */
  liveKey?: boolean;
  /** Temp dir name prefix, to tell leftovers apart. */
  prefix?: string;
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

export interface FetchRes {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  headers: Headers;
}

export interface RunningApp {
  app: App;
  dataDir: string;
  clock: ManualClock | undefined;
  /** The listening base URL ('' when not listening). */
  url: string;
  port: number;
  /** JSON request through the server (inject) with the API key, unless `auth: false` or own headers. */
  req: (method: InjectOptions['method'], url: string, body?: unknown, options?: ReqOptions) => Promise<Res>;
  /** JSON request over real HTTP when listening (through inject otherwise), with the API key. */
  fetch: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<FetchRes>;
  /** Stops the app (idempotent); the temp dir goes at the end of the file. */
  close: () => Promise<void>;
}

async function projectDatabase(): Promise<{ databaseUrl?: string }> {
  if (process.env.COUNTERLINK_TEST_STORE !== 'postgres') return {};
  const server = testPostgresUrl();
  if (!server) throw new Error('the postgres test project needs PostgreSQL');
  return { databaseUrl: await freshDatabase(server, 'it') };
}

function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const { listen = false, manualClock, projectStore = false, liveKey = false, prefix, ...rest } = options;
  const dataDir = rest.dataDir ?? tempDir(prefix);
  const clock = rest.clock instanceof ManualClock ? rest.clock : manualClock ? new ManualClock(manualClock) : undefined;
  const app = await createApp({
    port: 0,
    host: '127.0.0.1',
    ...(liveKey ? { apiKey: API_KEY } : { testApiKey: API_KEY }),
    ...(projectStore ? await projectDatabase() : {}),
    ...rest,
    dataDir,
    ...(clock ? { clock } : {}),
  });
  const url = listen ? await app.listen() : '';
  const address = listen ? app.server.server.address() : null;
  const port = typeof address === 'object' && address ? address.port : 0;

  const req: RunningApp['req'] = async (method, path, body, o = {}) => {
    const headers: Record<string, string> = { ...(o.auth === false ? {} : AUTH) };
    let payload: string | Buffer | undefined;
    if (o.raw !== undefined) payload = o.raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, o.headers ?? {});
    const res = await app.server.inject({ method, url: path, headers, ...(payload !== undefined ? { payload } : {}) });
    return { status: res.statusCode, headers: res.headers, body: parse(res.body), text: res.body, raw: res };
  };

  const fetchJson: RunningApp['fetch'] = async (method, path, body, headers = {}) => {
    const all = { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers };
    if (!listen) {
      const res = await app.server.inject({ method: method as 'GET', url: path, headers: all, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
      return { status: res.statusCode, body: parse(res.body), text: res.body, headers: new Headers(res.headers as Record<string, string>) };
    }
    const res = await fetch(`${url}${path}`, { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: parse(text), text, headers: res.headers };
  };

  const t: RunningApp = {
    app,
    dataDir,
    clock,
    url,
    port,
    req,
    fetch: fetchJson,
    close: async () => {
      untrack(t);
      await app.close();
    },
  };
  track(t);
  return t;
}
