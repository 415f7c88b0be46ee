/**
 * A throwaway PostgreSQL for the tests: `npm test` needs no database of its own. It uses the
 * server binaries of Debian's `postgresql` package (what `.ci/run` installs), or an existing
 * server named by COUNTERLINK_TEST_DATABASE_URL. One server per test run (started by the global
 * setup); each test file or app gets a fresh database on it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { freePort } from './net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_URL_ENV = 'COUNTERLINK_TEST_PG_URL';

/** Where initdb and postgres live, or undefined. */
export function findPostgresBin(): string | undefined {
  const configured = process.env.COUNTERLINK_PG_BIN;
  if (configured) return existsSync(join(configured, 'postgres')) ? configured : undefined;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return undefined;
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root needs a `postgres` user to run the test database (Debian\'s postgresql package creates it).');
  }
}

export interface TestPostgres {
  /** URL of the maintenance database (`postgres`). */
  url: string;
  port: number;
  dataDir: string | undefined;
  stop(): Promise<void>;
  /** Kills the server abruptly (a crash, not a clean stop); `start` brings it back on the same port and data. */
  crash?(): Promise<void>;
  start?(): Promise<void>;
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts a private server in a temp dir. By default fsync is off (these databases are thrown
 * away); `durable` keeps PostgreSQL's defaults, for tests that kill the server and count what
 * survived.
 */
export async function startPostgres(bin: string, { durable = false } = {}): Promise<TestPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterlink-pg-'));
  const owner = runAs();
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const spawnOpts = owner ? { uid: owner.uid, gid: owner.gid } : {};
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], { ...spawnOpts, stdio: 'pipe' });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = (): ChildProcess =>
    spawn(
      join(bin, 'postgres'),
      [
        ...['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
        ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ],
      { ...spawnOpts, stdio: 'ignore' },
    );
  child = launch();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitReady(url, 30_000);
  const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
  return {
    url,
    port,
    dataDir,
    async stop() {
      if (child) {
        child.kill('SIGINT'); // fast shutdown
        await exited(child);
        child = undefined;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    async crash() {
      if (child) {
        child.kill('SIGKILL');
        await exited(child);
        child = undefined;
      }
    },
    async start() {
      // A killed postmaster leaves its backends for a moment: retry until the new one stays up.
      for (let i = 0; i < 50; i++) {
        child = launch();
        const c = child;
        const died = await Promise.race([exited(c).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 500))]);
        if (!died) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await waitReady(url, 30_000);
    },
  };
}

/** The server for this run: an existing one (COUNTERLINK_TEST_DATABASE_URL) or a private one. */
export async function provideTestPostgres(): Promise<TestPostgres | { missing: string }> {
  const existing = process.env.COUNTERLINK_TEST_DATABASE_URL;
  if (existing) {
    await waitReady(existing, 10_000);
    return { url: existing, port: Number(new URL(existing).port || 5432), dataDir: undefined, stop: async () => undefined };
  }
  const bin = findPostgresBin();
  if (!bin) {
    return {
      missing:
        'PostgreSQL server binaries not found: install Debian\'s `postgresql` package (apt-get install postgresql), set COUNTERLINK_PG_BIN to a folder with initdb and postgres, or COUNTERLINK_TEST_DATABASE_URL to an existing server.',
    };
  }
  return startPostgres(bin);
}

let counter = 0;

/** A new, empty database on the run's server; returns its URL. */
export async function freshDatabase(serverUrl: string, prefix = 'cl'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The run's PostgreSQL URL inside a test file, or undefined when there is none. Without one, the
 * PostgreSQL tests skip with the reason printed — except in CI, where a missing PostgreSQL fails.
 */
export function testPostgresUrl(): string | undefined {
  const url = process.env[PG_URL_ENV];
  if (url) return url;
  const reason = process.env.COUNTERLINK_TEST_PG_MISSING ?? 'PostgreSQL was not started by the global setup';
  if (process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${reason}`);
  console.warn(`[postgres] skipping PostgreSQL tests: ${reason}`);
  return undefined;
}
