/**
 * Several real server processes (`server/main.ts`, as `npm run serve` starts it) on one
 * PostgreSQL database, for the tests and the bench that prove they act as one server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const CLUSTER_KEY = 'clk_cluster_test_key_0123456789abcdef';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts one server process; resolves once /readyz answers 200. */
export async function startServer(env: Record<string, string>, { waitReady = true } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'counterlink-node-'));
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      COUNTERLINK_HOST: '127.0.0.1',
      COUNTERLINK_PORT: String(port),
      COUNTERLINK_BASE_URL: url,
      COUNTERLINK_DATA_DIR: dataDir,
      COUNTERLINK_TEST_API_KEY: CLUSTER_KEY,
      COUNTERLINK_LOG_LEVEL: 'warn',
      // Races and benchmarks start many payments from one address; the limit has its own tests.
      COUNTERLINK_DIALOG_RATE_LIMIT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const server: ServerProcess = {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (!waitReady) return server;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await server.stop();
      throw new Error(`server not ready after 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `n` servers on one database URL, started one after another (the first one migrates). */
export async function startCluster(databaseUrl: string, n: number, env: Record<string, string> = {}): Promise<ServerProcess[]> {
  const servers: ServerProcess[] = [];
  try {
    servers.push(await startServer({ COUNTERLINK_DATABASE_URL: databaseUrl, ...env }));
    servers.push(...(await Promise.all(Array.from({ length: n - 1 }, () => startServer({ COUNTERLINK_DATABASE_URL: databaseUrl, ...env })))));
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  return servers;
}

export interface Call {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/** A JSON request to one server with the cluster's API key. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Call> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${CLUSTER_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
